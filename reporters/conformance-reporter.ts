// The vitest reporter behind junit.xml, summary.json, checklist.md/.html and exchanges.har.
// It acts only when the conformance project ran (the self project shares the config), reads
// the target that src/global-setup.ts provided, builds the run model and writes the files.
import { relative, resolve } from 'node:path';
import type { SerializedError } from 'vitest';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { SETTINGS, loadConfig, type Profile } from '../src/config.ts';
import { registerCredentials } from '../src/auth.ts';
import { registerSecret } from '../src/exchange.ts';
import { CONFORMANCE_PROJECT, collect, isConformanceModule } from './collect.ts';
import { buildRunModel } from './run-model.ts';
import { suiteVersion } from './suite-version.ts';
import { writeReports } from './write-reports.ts';

/** SCIM_REPORT_DIR as the CLI reads it; a config error was already reported by the run. */
function reportSettings(): { reportDir: string; profile: Profile } {
  try {
    const config = loadConfig();
    return { reportDir: config.reportDir, profile: config.profile };
  } catch {
    return { reportDir: SETTINGS.reportDir.parse(process.env.SCIM_REPORT_DIR, 'SCIM_REPORT_DIR'), profile: 'entra' };
  }
}

export default class ConformanceReporter implements Reporter {
  private vitest?: Vitest;
  private startedAt = new Date();

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.startedAt = new Date();
  }

  onTestRunStart(): void {
    this.startedAt = new Date();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const modules = testModules.filter(isConformanceModule);
    const vitest = this.vitest;
    if (!vitest || modules.length === 0) return;
    const target = vitest.projects.find((p) => p.name === CONFORMANCE_PROJECT)?.getProvidedContext().target;
    registerSecret(target?.token);
    registerCredentials(target?.credentials);
    const settings = reportSettings();
    const collected = collect(modules, vitest.config.root);
    const model = buildRunModel(collected.tests, {
      baseUrl: target?.baseUrl,
      profile: target?.profile ?? settings.profile,
      runId: target?.runId ?? 'unknown',
      embedded: target?.embedded ?? false,
      readOnly: target?.readOnly ?? false,
      auth: target?.credentials?.method ?? 'bearer',
      ...(target?.mapping && { mappingFile: target.mapping.file }),
      startedAt: this.startedAt,
      finishedAt: new Date(),
      suiteVersion: suiteVersion(),
      errors: [...collected.errors, ...unhandledErrors.map((e) => ({ message: `unhandled error: ${e.message ?? String(e)}` }))],
      fileExchanges: collected.fileExchanges,
    });
    const dir = resolve(settings.reportDir);
    const written = writeReports(model, dir);
    vitest.logger.log(`scim-conformance: reports in ${relative(process.cwd(), dir) || '.'}/: ${written.map((p) => relative(dir, p)).join(', ')}`);
  }
}
