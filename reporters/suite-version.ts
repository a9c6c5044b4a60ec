// The suite's version, as package.json states it: every report names the suite that judged.
import { readFileSync } from 'node:fs';

export function suiteVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
