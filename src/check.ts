// check(meta, fn): one conformance check as a vitest test, with its id, requirement and
// severity. A must failure fails the test; a should or info failure passes it with a warning
// recorded for the reporters; a missing prerequisite skips it with the reason.
import { test, type TestContext } from 'vitest';
import { labelCheck, recordCheckResult } from './allure.ts';
import { rfcLink, type CheckMeta, type CheckOutcome, type CheckRecord, type FailureCategory } from './check-meta.ts';
import { TransportError } from './client.ts';
import { formatExchange, redact, type Exchange } from './exchange.ts';
import { CheckFailure, NotApplicable, PrerequisiteMissing } from './expect.ts';
import { startRecording, stopRecording } from './recorder.ts';
import { stepOfCheck } from './steps.ts';
import { target } from './suite.ts';
import { READ_ONLY_SKIP } from './target.ts';

export type { CheckMeta, Severity } from './check-meta.ts';

function recordOf(meta: CheckMeta): CheckRecord {
  const step = stepOfCheck(meta.id);
  const link = rfcLink(meta.requirement);
  const severity = meta.severityByProfile?.[target.profile] ?? meta.severity;
  return { ...meta, severity, declaredSeverity: meta.severity, step: step.name, stepTitle: step.title, ...(link && { link }) };
}

/** Why a check does not apply to this run, or undefined when it does. */
function notApplicable(meta: CheckMeta): string | undefined {
  if (meta.profiles && !meta.profiles.includes(target.profile)) {
    return `not part of the ${target.profile} profile (applies to ${meta.profiles.join(', ')})`;
  }
  if (meta.groups && !target.groups) return 'group provisioning is off (SCIM_GROUPS=false)';
  return undefined;
}

/** The explanation a vendor engineer reads: what failed, the requirement, the exchange. */
function explain(meta: CheckMeta, error: unknown, exchanges: Exchange[]): { message: string; category: FailureCategory } {
  const focus = error instanceof CheckFailure || error instanceof TransportError ? error.exchange : undefined;
  const shown = focus ?? exchanges.at(-1);
  const category: FailureCategory =
    error instanceof TransportError ? 'unreachable' : error instanceof CheckFailure ? 'non-conformance' : 'suite-error';
  const what = category === 'suite-error' ? `suite error: ${(error as Error)?.stack ?? String(error)}` : (error as Error).message;
  const parts = [what, `requirement: ${meta.requirement}`];
  if (shown) parts.push(`exchange:\n${formatExchange(shown)}`);
  return { message: redact(parts.join('\n')), category };
}

/** An error vitest prints as its message alone: the explanation is the whole story, not a stack. */
function withoutStack(message: string): Error {
  const error = new Error(message);
  error.name = 'CheckFailed';
  error.stack = `${error.name}: ${message}`;
  return error;
}

export function check(meta: CheckMeta, fn: () => Promise<void>): void {
  const checkRecord = recordOf(meta);
  // Read-only mode (SCIM_READ_ONLY): only the checks of steps that send nothing but GET run.
  if (target.readOnly && !stepOfCheck(meta.id).readOnly) {
    // Skipped when registered, not when run: a describe block whose checks are all skipped runs
    // none of its hooks, so the scenery its beforeAll would create is never sent.
    const outcome: CheckOutcome = { status: 'skipped', message: READ_ONLY_SKIP, skip: 'not-applicable' };
    test.skip(`${meta.id} ${meta.title}`, { meta: { check: checkRecord, outcome } }, async () => {});
    return;
  }
  test(`${meta.id} ${meta.title}`, { meta: { check: checkRecord } }, async (ctx: TestContext) => {
    const setOutcome = (outcome: CheckOutcome) => {
      ctx.task.meta.outcome = outcome;
    };
    await labelCheck(checkRecord, target.profile);
    const skipReason = notApplicable(meta);
    if (skipReason) {
      setOutcome({ status: 'skipped', message: skipReason, skip: 'not-applicable' });
      await recordCheckResult(checkRecord, ctx.task.meta.outcome, [], target.baseUrl);
      ctx.skip(skipReason);
    }
    const exchanges = startRecording();
    try {
      await fn();
      setOutcome({ status: 'passed' });
    } catch (error) {
      if (error instanceof PrerequisiteMissing || error instanceof NotApplicable) {
        const advice = error instanceof NotApplicable && error.advice ? { advice: redact(error.advice) } : {};
        setOutcome({ status: 'skipped', message: redact(error.message), skip: error instanceof NotApplicable ? 'not-applicable' : 'blocked', ...advice });
        ctx.skip(redact(error.message));
      }
      const { message, category } = explain(meta, error, exchanges);
      if (checkRecord.severity === 'must') {
        setOutcome({ status: 'failed', message, category });
        throw withoutStack(message);
      }
      setOutcome({ status: 'warned', message, category });
      await ctx.annotate(`${checkRecord.severity === 'should' ? 'WARNING' : 'INFO'} (${checkRecord.severity}): ${message}`, 'warning');
    } finally {
      ctx.task.meta.exchanges = [...exchanges];
      stopRecording();
      await recordCheckResult(checkRecord, ctx.task.meta.outcome, exchanges, target.baseUrl);
    }
  });
}
