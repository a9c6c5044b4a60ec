// junit.xml for CI systems: one <testsuite> per tutorial step, one <testcase> per check named
// "CONN-04 <title>". Written by hand rather than with vitest's junit reporter, which reports
// every project of the run (a `vitest run --project self` would overwrite the conformance
// junit.xml) and has no place for a should-check that failed while the run stays green.
// Here such a check passes, with <property name="warning"> and the explanation in <system-out>.
import type { CheckResult, RunModel, StepResult } from './run-model.ts';
import { firstLine } from './run-model.ts';

/** XML 1.0 cannot carry most control characters even escaped; response bodies may hold them. */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** One line per exchange of the check: what a CI log can show without the attachments. */
export function exchangeSummary(check: CheckResult): string {
  if (check.exchanges.length === 0) return 'exchanges: none';
  const lines = check.exchanges.map((e) => `  ${e.request.method} ${e.request.url} → ${e.response ? e.response.status : `no response (${e.error ?? 'unknown error'})`} (${e.durationMs} ms)`);
  return `exchanges (${check.exchanges.length}, all in exchanges.har):\n${lines.join('\n')}`;
}

function property(name: string, value: string): string {
  return `        <property${attrs({ name, value })}/>`;
}

function testcase(check: CheckResult, classname: string): string {
  const props = [property('check.id', check.id), property('severity', check.severity), property('requirement', check.requirement), property('result', check.status)];
  if (check.link) props.push(property('link', check.link));
  const body: string[] = [`      <properties>\n${props.join('\n')}\n      </properties>`];
  const detail = () => xmlEscape(`${check.message ?? ''}\n${exchangeSummary(check)}`);
  if (check.status === 'failed') {
    // <failure> when the endpoint broke a rule; <error> when the check could not be carried out.
    const element = check.category === 'non-conformance' ? 'failure' : 'error';
    body.push(`      <${element}${attrs({ message: firstLine(check.message), type: check.category })}>${detail()}</${element}>`);
  } else if (check.status === 'warned') {
    body[0] = body[0]!.replace('      </properties>', `${property('warning', firstLine(check.message))}\n      </properties>`);
    body.push(`      <system-out>${xmlEscape(`WARNING (${check.severity}-check failed; the run stays green): `)}${detail()}</system-out>`);
  } else if (check.status === 'skipped') {
    body.push(`      <skipped${attrs({ message: `${check.skip === 'blocked' ? 'blocked' : 'not applicable'}: ${firstLine(check.message)}` })}/>`);
  }
  return `    <testcase${attrs({ name: `${check.id} ${check.title}`, classname, time: seconds(check.durationMs), file: check.file })}>\n${body.join('\n')}\n    </testcase>`;
}

function testsuite(model: RunModel, result: StepResult): string {
  const { step, checks, totals } = result;
  const classname = `scim-conformance.${step.number}-${step.name}`;
  const failures = checks.filter((c) => c.status === 'failed' && c.category === 'non-conformance').length;
  const errors = checks.filter((c) => c.status === 'failed' && c.category !== 'non-conformance').length;
  const time = checks.reduce((sum, c) => sum + c.durationMs, 0);
  const props = [property('profile', model.profile), property('tenant.host', model.tenantHost), property('run.id', model.runId), property('warnings', String(totals.warned))];
  return [
    `  <testsuite${attrs({ name: `${step.number} ${step.title}`, tests: totals.checks, failures, errors, skipped: totals.skipped, time: seconds(time), timestamp: checks.find((c) => c.startedAt)?.startedAt ?? model.startedAt })}>`,
    `    <properties>\n${props.map((p) => p.slice(4)).join('\n')}\n    </properties>`,
    ...checks.map((c) => testcase(c, classname)),
    '  </testsuite>',
  ].join('\n');
}

/** Hook and module errors, which belong to no check, as one erroring testcase each. */
function runErrors(model: RunModel): string {
  if (model.errors.length === 0) return '';
  const cases = model.errors.map(
    (e, i) => `    <testcase${attrs({ name: `suite error ${i + 1}${e.file ? ` in ${e.file}` : ''}`, classname: 'scim-conformance.suite', time: '0.000' })}>\n      <error${attrs({ message: firstLine(e.message), type: 'suite-error' })}>${xmlEscape(e.message)}</error>\n    </testcase>`,
  );
  return `\n  <testsuite${attrs({ name: 'Suite errors', tests: model.errors.length, failures: 0, errors: model.errors.length, skipped: 0, time: '0.000', timestamp: model.startedAt })}>\n${cases.join('\n')}\n  </testsuite>`;
}

export function renderJUnit(model: RunModel): string {
  const { totals } = model;
  const failures = model.checks.filter((c) => c.status === 'failed' && c.category === 'non-conformance').length;
  const errors = totals.failed - failures + model.errors.length;
  const time = (Date.parse(model.finishedAt) - Date.parse(model.startedAt)) / 1000;
  const head = `<testsuites${attrs({ name: `scim-conformance ${model.suite.version} (${model.profile}) ${model.tenantHost}`, tests: totals.checks + model.errors.length, failures, errors, skipped: totals.skipped, time: Math.max(0, time).toFixed(3), timestamp: model.startedAt })}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${model.steps.map((s) => testsuite(model, s)).join('\n')}${runErrors(model)}\n</testsuites>\n`;
}
