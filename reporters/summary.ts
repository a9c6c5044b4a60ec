// summary.json: the run in one small machine-readable file, for dashboards and CI gates that
// should not parse JUnit. Its shape is pinned by schemas/summary.schema.json; bump
// SUMMARY_SCHEMA_VERSION when a field changes meaning or disappears.
import type { CheckStatus, FailureCategory, Severity } from '../src/check-meta.ts';
import type { Profile } from '../src/config.ts';
import type { RunModel, Totals } from './run-model.ts';

export const SUMMARY_SCHEMA_VERSION = 1;

export interface SummaryCheck {
  id: string;
  /** Step name, e.g. test-connection. */
  step: string;
  stepTitle: string;
  title: string;
  requirement: string;
  severity: Severity;
  status: CheckStatus;
  /** Failed/warned: the explanation (first line is the gist); skipped: the reason. */
  message?: string;
  category?: FailureCategory;
  skip?: 'not-applicable' | 'blocked';
  advice?: string;
  link?: string;
  durationMs: number;
  startedAt?: string;
  exchanges: number;
}

export interface Summary {
  schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  suite: { name: string; version: string };
  runId: string;
  tenantHost: string;
  embedded: boolean;
  readOnly: boolean;
  auth: string;
  mappingFile: string | null;
  profile: Profile;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  verdict: { ready: boolean; headline: string; failingMustChecks: string[]; stepsNotRun: string[] };
  totals: Totals;
  steps: { number: string; name: string; title: string; totals: Totals }[];
  checks: SummaryCheck[];
  mappingAdvice: { advice: string; checks: string[] }[];
  errors: { file?: string; message: string }[];
}

export function toSummary(model: RunModel): Summary {
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    suite: model.suite,
    runId: model.runId,
    tenantHost: model.tenantHost,
    embedded: model.embedded,
    readOnly: model.readOnly,
    auth: model.auth,
    mappingFile: model.mappingFile ?? null,
    profile: model.profile,
    startedAt: model.startedAt,
    finishedAt: model.finishedAt,
    durationMs: Math.max(0, Date.parse(model.finishedAt) - Date.parse(model.startedAt)),
    verdict: {
      ready: model.verdict.ready,
      headline: model.verdict.headline,
      failingMustChecks: model.verdict.failingMustChecks.map((c) => c.id),
      stepsNotRun: model.verdict.stepsNotRun.map((s) => s.number),
    },
    totals: model.totals,
    steps: model.steps.map(({ step, totals }) => ({ number: step.number, name: step.name, title: step.title, totals })),
    checks: model.checks.map((c) => ({
      id: c.id,
      step: c.step.name,
      stepTitle: c.step.title,
      title: c.title,
      requirement: c.requirement,
      severity: c.severity,
      status: c.status,
      ...(c.message !== undefined && { message: c.message }),
      ...(c.category && { category: c.category }),
      ...(c.skip && { skip: c.skip }),
      ...(c.advice && { advice: c.advice }),
      ...(c.link && { link: c.link }),
      durationMs: c.durationMs,
      ...(c.startedAt && { startedAt: c.startedAt }),
      exchanges: c.exchanges.length,
    })),
    mappingAdvice: model.mappingAdvice,
    errors: model.errors.map((e) => ({ ...(e.file && { file: e.file }), message: e.message })),
  };
}

export function renderSummary(model: RunModel): string {
  return `${JSON.stringify(toSummary(model), null, 2)}\n`;
}
