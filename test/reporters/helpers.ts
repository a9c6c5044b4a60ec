// Shared checks for the reporter tests: a tiny XML well-formedness check, the summary schema
// validator, and a scan of every written file for a secret.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * Well-formed enough for CI parsers: one XML declaration, balanced and properly nested tags,
 * quoted attributes, no raw "<" or stray "&" in text. Answers the problems found.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  if (body === xml) problems.push('no XML declaration');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|([^<]+)|(<)/g;
  let match: RegExpExecArray | null;
  let roots = 0;
  while ((match = token.exec(body))) {
    const [whole, closing, name, , selfClosing, text, strayLt] = match;
    if (strayLt) problems.push(`stray "<" at ${match.index}: ${body.slice(match.index, match.index + 40)}`);
    else if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) problems.push(`stray "&" in text: ${text.slice(0, 60)}`);
      if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root element: ${text.slice(0, 40)}`);
    } else if (whole.startsWith('<![CDATA[')) continue;
    else if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
    for (const attribute of whole.matchAll(/\s[\w.:-]+="([^"]*)"/g)) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(attribute[1]!)) problems.push(`stray "&" in attribute: ${attribute[0]}`);
    }
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** The summary.json validator, compiled from schemas/summary.schema.json with Ajv (2020-12). */
export function summaryValidator() {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/summary.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  return ajv.compile(schema);
}

/** Every file under dir, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Files whose bytes contain the secret, raw or percent-encoded. */
export function filesContaining(files: readonly string[], secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
  return files.filter((file) => {
    const text = readFileSync(file, 'latin1');
    return forms.some((form) => text.includes(form));
  });
}
