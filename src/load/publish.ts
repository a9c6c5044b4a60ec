// Hands a load check's table to the reporters: task.meta.load (read by reporters/, which render
// it) and a vitest annotation of type "load" (shown by the verbose console reporter, written as a
// property by JUnit). Exchanges are attached sparingly: a few samples, never the whole run.
import { TestRunner } from 'vitest';
import type { Exchange } from '../exchange.ts';
import { record } from '../recorder.ts';
import type { LoadMeta } from './report.ts';

/** Puts the table on the running check. Outside a running test it does nothing. */
export async function publishLoad(meta: LoadMeta): Promise<void> {
  const test = TestRunner.getCurrentTest();
  if (!test) return;
  test.meta.load = meta;
  await test.context.annotate(`${meta.title}\n${meta.table}`, 'load');
}

/** Attaches a few sample exchanges to the running check (at most `limit`). */
export function attachSamples(exchanges: readonly (Exchange | undefined)[], limit = 6): void {
  for (const exchange of exchanges.filter((e): e is Exchange => e !== undefined).slice(0, limit)) record(exchange);
}
