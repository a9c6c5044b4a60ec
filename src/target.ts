// What the main process hands to every spec file: the endpoint under test and the run's
// settings. Provided by src/global-setup.ts, read by src/suite.ts.
import type { Profile } from './config.ts';

export interface Target {
  baseUrl: string;
  token: string;
  profile: Profile;
  timeoutMs: number;
  retries: number;
  groups: boolean;
  /** In every name the run creates, so that leftovers can be found and runs never collide. */
  runId: string;
  /** True when the run talks to the built-in reference server. */
  embedded: boolean;
}

declare module 'vitest' {
  interface ProvidedContext {
    target: Target;
  }
}

/** A short, sortable, unique run id: scimc-20261128t1345-k3f9 */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 13).toLowerCase();
  return `scimc-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}
