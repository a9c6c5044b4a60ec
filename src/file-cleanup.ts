// Per-file cleanup, as a vitest setup file: it runs before every spec file, so its afterAll hook
// belongs to each file even when one worker runs several files in a row (isolate: false), where a
// hook registered by an imported module would run for the first file only.
import { afterAll } from 'vitest';
import { cleanUp } from './ledger.ts';
import { scim } from './suite.ts';

afterAll(async () => {
  const failed = await cleanUp(scim);
  if (failed.length > 0) {
    console.warn(`scim-conformance: could not delete ${failed.length} resource(s) this spec file created; the end of the run tries again: ${failed.join('; ')}`);
  }
});
