// What the matrix concludes: the clean runs are spotless, every fault is caught by every check it
// declares, every check of the suite is declared by some fault, and every declared id exists.
import type { FaultDefinition } from '../../reference/faults.ts';
import { STEPS } from '../../src/steps.ts';
import type { MatrixRun } from './plan.ts';
import type { CheckResult, RunResult } from './run-vitest.ts';

export interface FaultVerdict {
  name: string;
  breaks: string;
  declared: string[];
  /** Declared checks that failed (must) or warned (should). */
  caught: string[];
  /** Declared checks that did not: passed, skipped, or absent from the run. */
  missed: Array<{ id: string; status: string; reason?: string }>;
  /** Checks not declared that failed or warned too. */
  alsoFailed: CheckResult[];
}

export interface MatrixVerdict {
  /** Over the clean runs (full and read-only): each check counted once. */
  clean: { total: number; passed: number; failed: number; warned: number; skipped: number };
  faults: FaultVerdict[];
  /** Check id -> the faults that caught it (declared and caught). */
  coverage: Map<string, string[]>;
  /** Every check id of the suite: in specs/ and in the clean runs. */
  checkIds: string[];
  /** Each line one reason the matrix fails; empty when it passes. */
  problems: string[];
}

/** A must-check catches by failing, a should-check by warning (it never fails the run); a skip never catches. */
export function isCaught(result: CheckResult | undefined): boolean {
  if (!result) return false;
  return result.status === 'failed' || (result.status === 'warned' && result.severity !== 'must');
}

/** Tutorial order: by step (src/steps.ts), then by number. */
export const byCheckId = (a: string, b: string) => {
  const [pa = '', na = '0'] = a.split('-');
  const [pb = '', nb = '0'] = b.split('-');
  const step = (prefix: string) => {
    const index = STEPS.findIndex((s) => s.checkPrefix === prefix);
    return index === -1 ? STEPS.length : index;
  };
  return pa === pb ? Number(na) - Number(nb) : step(pa) - step(pb) || pa.localeCompare(pb);
};

const describe = (c: CheckResult) => `${c.status}${c.skip ? ` (${c.skip})` : ''}${c.reason ? `: ${c.reason}` : ''}`;

/**
 * The clean runs, check by check: it must pass in at least one of them, and nowhere fail, warn or
 * be blocked. Skipped as not applicable is fine where another clean run shows it passing (the
 * read-only checks in the full run, the write checks in the read-only run).
 */
function judgeClean(cleanRuns: RunResult[], idsInSpecs: Map<string, string>, problems: string[]): { ids: string[]; counts: MatrixVerdict['clean'] } {
  const ids = [...new Set([...idsInSpecs.keys(), ...cleanRuns.flatMap((r) => [...r.checks.keys()])])].sort(byCheckId);
  const counts = { total: ids.length, passed: 0, failed: 0, warned: 0, skipped: 0 };
  for (const id of ids) {
    const seen = cleanRuns.flatMap((run) => {
      const check = run.checks.get(id);
      return check ? [{ run: run.name, check }] : [];
    });
    const bad = seen.filter(({ check }) => check.status !== 'passed' && !(check.status === 'skipped' && check.skip === 'not-applicable'));
    for (const { run, check } of bad) problems.push(`${run} run: ${id} ${describe(check)}`);
    const passed = seen.some(({ check }) => check.status === 'passed');
    if (seen.length === 0) {
      problems.push(`clean runs: ${id} (${idsInSpecs.get(id) ?? 'not in specs/'}) did not run at all: a check of the suite vanished from the run`);
    } else if (!passed && bad.length === 0) {
      problems.push(`clean runs: ${id} passed in none of them (${seen.map(({ run, check }) => `${run}: ${describe(check)}`).join('; ')})`);
    }
    counts[bad[0]?.check.status ?? (passed ? 'passed' : 'skipped')]++;
  }
  return { ids, counts };
}

export function judge(
  runs: readonly MatrixRun[],
  definitions: readonly FaultDefinition[],
  results: Map<string, RunResult>,
  idsInSpecs: Map<string, string>,
  runErrors: readonly string[],
  options: { partial: boolean },
): MatrixVerdict {
  const problems: string[] = [...runErrors];
  for (const result of results.values()) for (const error of result.errors) problems.push(`${result.name}: ${error}`);
  const resultOf = (run: MatrixRun) => results.get(run.name) ?? { name: run.name, checks: new Map<string, CheckResult>(), errors: [] };

  const { ids: checkIds, counts } = judgeClean(runs.filter((r) => r.fault === undefined).map(resultOf), idsInSpecs, problems);
  const known = new Set(checkIds);

  // ---- each fault, over its runs (one per mode its declared checks need) ----------------------
  const breaksOf = new Map(definitions.map((d) => [d.name, d.breaks]));
  const coverage = new Map<string, string[]>(checkIds.map((id) => [id, []]));
  const faults: FaultVerdict[] = [];
  for (const fault of [...new Set(runs.flatMap((r) => (r.fault === undefined ? [] : [r.fault])))]) {
    const faultRuns = runs.filter((r) => r.fault === fault);
    const declared = faultRuns.flatMap((r) => r.declared);
    const caught: string[] = [];
    const missed: FaultVerdict['missed'] = [];
    if (declared.length === 0) problems.push(`${fault}: declares no check that catches it`);
    for (const run of faultRuns) {
      for (const id of run.declared) {
        if (!known.has(id)) {
          problems.push(`${fault}: declares ${id}, which is no check of the suite (a typo, or a retired id?)`);
          missed.push({ id, status: 'unknown id' });
          continue;
        }
        const check = resultOf(run).checks.get(id);
        if (isCaught(check)) {
          caught.push(id);
          coverage.get(id)!.push(fault);
          continue;
        }
        const status = check ? `${check.status}${check.skip ? ` (${check.skip})` : ''}` : 'not run';
        missed.push({ id, status, ...(check?.reason && { reason: check.reason }) });
        problems.push(`${run.name}: ${id} ${check?.status === 'passed' ? 'passed' : `was ${status}`}: the fault is not caught by a check that declares it${check?.reason ? ` (${check.reason})` : ''}`);
      }
    }
    const alsoFailed = new Map<string, CheckResult>();
    for (const run of faultRuns) {
      for (const c of resultOf(run).checks.values()) if (!declared.includes(c.id) && isCaught(c)) alsoFailed.set(c.id, c);
    }
    faults.push({
      name: fault,
      breaks: breaksOf.get(fault) ?? '',
      declared,
      caught,
      missed,
      alsoFailed: [...alsoFailed.values()].sort((a, b) => byCheckId(a.id, b.id)),
    });
  }

  // ---- coverage: every check can be made to fail ---------------------------------------------
  if (!options.partial) {
    for (const id of checkIds) {
      if (!definitions.some((d) => (d.catches as readonly string[]).includes(id))) problems.push(`${id}: no fault declares it, so nothing shows that it can fail`);
    }
  }

  return { clean: counts, faults, coverage, checkIds, problems };
}

export function summaryLine(verdict: MatrixVerdict, seconds?: number): string {
  const { clean } = verdict;
  const caught = verdict.faults.filter((f) => f.missed.length === 0 && f.declared.length > 0).length;
  const covered = [...verdict.coverage.values()].filter((faults) => faults.length > 0).length;
  const cleanText =
    clean.failed + clean.warned + clean.skipped === 0
      ? `clean runs passed (${clean.passed}/${clean.total} checks)`
      : `clean runs NOT clean (${clean.failed} failed, ${clean.warned} warned, ${clean.skipped} not proven of ${clean.total})`;
  const time = seconds === undefined ? '' : `; ${seconds.toFixed(1)} s`;
  const verdictText = verdict.problems.length === 0 ? 'matrix OK' : `matrix FAILED (${verdict.problems.length} problems)`;
  return `${verdictText}: ${cleanText}; faults caught ${caught}/${verdict.faults.length}; checks covered ${covered}/${verdict.checkIds.length}${time}`;
}
