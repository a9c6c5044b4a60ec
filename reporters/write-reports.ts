// Writes every report of a run into the report directory. The token never reaches a file:
// exchanges were redacted in the worker, and every text is redacted once more here, in the
// process that writes it, with the run's token registered (defence in depth).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../src/exchange.ts';
import { renderChecklistHtml } from './checklist-html.ts';
import { renderChecklistMarkdown } from './checklist-md.ts';
import { renderHar } from './har.ts';
import { renderJUnit } from './junit.ts';
import type { RunModel } from './run-model.ts';
import { renderSummary } from './summary.ts';

/** File name → renderer. One job each; all of them read the same model. */
export const REPORTS: Readonly<Record<string, (model: RunModel) => string>> = {
  'summary.json': renderSummary,
  'junit.xml': renderJUnit,
  'checklist.md': renderChecklistMarkdown,
  'checklist.html': renderChecklistHtml,
  'exchanges.har': renderHar,
};

/** Writes the reports and answers their paths. */
export function writeReports(model: RunModel, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(REPORTS).map(([name, render]) => {
    const path = join(dir, name);
    writeFileSync(path, redact(render(model)));
    return path;
  });
}
