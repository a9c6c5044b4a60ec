// Hands the load step's spec file to a worker after every other spec file, so that the initial
// sync's requests mix as little as possible with the rest of the suite's: on a rate-limited tenant
// those would add to the rate the tenant sees (and draw 429s the step would blame on the
// endpoint), and on any tenant to the latencies the step measures. The default order (vitest's:
// longest files first) would start the load step first, next to everything else.
// For a measurement with nothing else in flight at all, run the step alone: --steps 07 --load.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { STEPS, specFileOf } from '../steps.ts';

const LOAD_FILE = STEPS.filter((s) => s.checkPrefix === 'LOAD').map(specFileOf);

function isLoadStep(spec: TestSpecification): boolean {
  const path = spec.moduleId.replace(/\\/g, '/');
  return LOAD_FILE.some((file) => path.endsWith(`/${file}`));
}

export class LoadStepLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => !isLoadStep(f)), ...sorted.filter(isLoadStep)];
  }
}
