// Collects the exchanges that belong to the check now running, so that a failure can show
// them and reports can attach them. Checks in one file run one after another.
import type { Exchange } from './exchange.ts';

let current: Exchange[] | undefined;

export function startRecording(): Exchange[] {
  current = [];
  return current;
}

export function stopRecording(): void {
  current = undefined;
}

/** Adds an exchange to the running check (once), e.g. one made earlier and asserted on now. */
export function record(exchange: Exchange): void {
  if (current && !current.includes(exchange)) current.push(exchange);
}
