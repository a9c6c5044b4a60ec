// allure-vitest's reporter, narrowed to the conformance project and taught our outcomes.
// - Only the conformance project gets the Allure setup file and results: the self tests are
//   not conformance checks, and a `vitest run --project self` must not touch allure-results/.
// - Each run starts from an empty results directory; trends come from the Allure history file
//   (reporters/allurerc.mjs), not from stale results, which Allure would show as retries.
// - Statuses follow the check's outcome, which a test cannot set from inside: a must failure of
//   the endpoint is "failed", one where the check could not be carried out is "broken"; a
//   warned should-check stays "passed" (the run is green) with the warning in its status
//   details, a result=warned label and a "warning" tag; a skipped check shows its reason.
// - Environment facts (tenant host, profile, versions, run id) go into environment.properties.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { LabelName, Status, type TestResult } from 'allure-js-commons';
import { createDefaultWriter, type LifecycleListener } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter, { type AllureVitestReporterConfig } from 'allure-vitest/reporter';
import type { RunnerTask } from 'vitest';
import type { TestModule, TestProject, Vitest } from 'vitest/node';
import { ALLURE_LABELS, ALLURE_SEVERITY, epicOf } from '../src/allure.ts';
import { CATEGORY_TITLES, triage } from './triage.ts';
import { CONFORMANCE_PROJECT, isConformanceModule } from './collect.ts';
import { runModeLine } from './checklist-text.ts';
import { hostOf } from './run-model.ts';
import { suiteVersion } from './suite-version.ts';

export const DEFAULT_RESULTS_DIR = 'allure-results';

export default class ConformanceAllureReporter extends AllureVitestReporter {
  private readonly resultsDir: string;
  private project?: TestProject;
  /** The vitest test whose Allure result is being written (handleTask is synchronous). */
  private current?: RunnerTask;

  constructor(config: AllureVitestReporterConfig = {}) {
    // Read when vitest creates the reporter, so that a run (or a test) can point it elsewhere.
    const resultsDir = resolve(config.resultsDir ?? (process.env.ALLURE_RESULTS_DIR?.trim() || DEFAULT_RESULTS_DIR));
    // The listener needs `this`, which does not exist before super(): fill it in right after.
    const listener: LifecycleListener = {};
    super({ ...config, resultsDir, listeners: [...(config.listeners ?? []), listener] });
    listener.beforeTestResultWrite = (result) => this.applyOutcome(result);
    this.resultsDir = resultsDir;
  }

  override onInit(vitest: Vitest): void {
    this.project = vitest.projects.find((p) => p.name === CONFORMANCE_PROJECT);
    if (!this.project) return;
    rmSync(this.resultsDir, { recursive: true, force: true });
    // allure-vitest adds its setup file and runner to every project it is shown; it only reads
    // `projects` from the instance, so it is shown the conformance project alone.
    super.onInit({ projects: [this.project] } as unknown as Vitest);
  }

  override onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (!this.project) return;
    const modules = testModules.filter(isConformanceModule);
    if (modules.length === 0) return;
    super.onTestRunEnd(modules);
    this.writeEnvironment();
  }

  override handleTask(task: RunnerTask): void {
    const previous = this.current;
    this.current = task;
    try {
      super.handleTask(task);
    } finally {
      this.current = previous;
    }
  }

  private applyOutcome(result: TestResult): void {
    const task = this.current;
    if (task?.type !== 'test') return;
    const { check, outcome, exchanges = [] } = task.meta;
    // A check whose suite hook failed never ran check(): label it here so it is still grouped.
    if (check && !result.labels.some((l) => l.name === LabelName.EPIC)) {
      result.labels.push(
        { name: LabelName.EPIC, value: epicOf(check) },
        { name: LabelName.STORY, value: check.id },
        { name: LabelName.SEVERITY, value: ALLURE_SEVERITY[check.severity] },
      );
      if (!result.description) result.description = `**Requirement.** ${check.requirement}`;
    }
    if (!outcome) return;
    // The explanation is the whole message; vitest's serialized "stack" only repeats it.
    if (outcome.status === 'failed') {
      const category = triage(outcome, exchanges);
      result.status = category === 'non-conformance' ? Status.FAILED : Status.BROKEN;
      result.statusDetails = { message: outcome.message ?? result.statusDetails.message };
    } else if (outcome.status === 'warned') {
      result.status = Status.PASSED;
      result.statusDetails = { message: `WARNING (${check?.severity ?? 'should'}-check failed; the run stays green)\n${outcome.message ?? ''}` };
    } else if (outcome.status === 'skipped') {
      result.status = Status.SKIPPED;
      result.statusDetails = { message: `${outcome.skip === 'blocked' ? 'Blocked' : 'Not applicable'}: ${outcome.message ?? ''}` };
    }
    // Make sure the category label matches the status decided here (triage is deterministic).
    const category = triage(outcome, exchanges);
    if (category && !result.labels.some((l) => l.name === ALLURE_LABELS.failureCategory)) {
      result.labels.push({ name: ALLURE_LABELS.failureCategory, value: CATEGORY_TITLES[category] });
    }
  }

  private writeEnvironment(): void {
    const target = this.project?.getProvidedContext().target;
    const host = hostOf(target?.baseUrl);
    createDefaultWriter({ resultsDir: this.resultsDir }).writeEnvironmentInfo({
      'Tenant host': target?.embedded ? `${host} (built-in reference server)` : host,
      Profile: target?.profile ?? 'unknown',
      Mode: target ? runModeLine({ readOnly: target.readOnly ?? false }) : 'unknown',
      'Groups provisioned': target ? String(target.groups) : 'unknown',
      'Suite version': `scim-conformance ${suiteVersion()}`,
      'Node.js': process.version,
      'Run id': target?.runId ?? 'unknown',
    });
  }
}
