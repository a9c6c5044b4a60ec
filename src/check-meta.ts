// What every check declares, and what the run records about it. Reporters read these
// from vitest's task meta; nothing here depends on vitest.
import type { Profile } from './config.ts';
import type { Exchange } from './exchange.ts';

/** must: a failure fails the run. should: a failure is a warning. info: reported, never fails. */
export type Severity = 'must' | 'should' | 'info';

export interface CheckMeta {
  /** Step prefix and number, stable forever: CONN-01, PATCH-05. Retire ids, never renumber. */
  id: string;
  /** One sentence: what is sent and what must come back. */
  title: string;
  /** The source and its words: 'RFC 7644 §3.4.2: "..."' or 'Entra: ...'. */
  requirement: string;
  severity: Severity;
  /**
   * The severity under particular profiles, where it differs: a rule no client relies on is a
   * `must` under rfc and a `should` under the clients, e.g. { entra: 'should', okta: 'should' }.
   * The record of a running check carries the severity of the profile that runs.
   */
  severityByProfile?: Partial<Record<Profile, Severity>>;
  /** Profiles the check applies to; all when absent. */
  profiles?: readonly Profile[];
  /** Needs the app to provision groups (SCIM_GROUPS). */
  groups?: boolean;
}

export type CheckStatus = 'passed' | 'failed' | 'warned' | 'skipped';

/** Kinds of failure, for triage: the endpoint broke a rule, could not be reached, or the suite itself broke. */
export type FailureCategory = 'non-conformance' | 'unreachable' | 'suite-error';

export interface CheckRecord extends CheckMeta {
  /** The severity declared for profiles that severityByProfile does not name (`severity` is the running profile's). */
  declaredSeverity?: Severity;
  step: string;
  stepTitle: string;
  /** Link to the RFC section named in the requirement, when there is one. */
  link?: string;
}

export interface CheckOutcome {
  status: CheckStatus;
  message?: string;
  category?: FailureCategory;
  /**
   * Why a skipped check did not run: it does not apply to this run (profile, groups off, a
   * feature the endpoint says it lacks), or something it builds on failed. A blocked must-check
   * fails the gate: the run could not prove it.
   */
  skip?: 'not-applicable' | 'blocked';
  /** Not applicable because the client's mapping sends what the server does not define: what to change in the mapping. */
  advice?: string;
}

// TaskMeta lives in @vitest/runner; vitest only re-exports it, so the augmentation goes there.
declare module '@vitest/runner' {
  interface TaskMeta {
    check?: CheckRecord;
    outcome?: CheckOutcome;
    exchanges?: Exchange[];
  }
}

const RFC_SECTION = /RFC\s?(7643|7644)\s*§\s*([\d.]*\d)/;

/** 'RFC 7644 §3.4.2: ...' links to that section of the RFC. */
export function rfcLink(requirement: string): string | undefined {
  const match = RFC_SECTION.exec(requirement);
  return match ? `https://www.rfc-editor.org/rfc/rfc${match[1]}#section-${match[2]}` : undefined;
}
