// Run-scoped unique names: every userName, externalId and displayName the run creates carries
// the run id, so that two runs never collide and leftovers of a crashed run can be found.
import { randomUUID } from 'node:crypto';
import { target } from './suite.ts';

let counter = 0;

/** e.g. scimc-20261128t1345-k3f9-create-3 */
export function uniqueName(label: string): string {
  counter += 1;
  return `${target.runId}-${label}-${counter}`;
}

/** A value guaranteed to match nothing on the tenant, as Entra's Test Connection sends it. */
export function randomGuid(): string {
  return randomUUID();
}
