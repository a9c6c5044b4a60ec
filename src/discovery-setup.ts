// Setup file of every spec file (src/setup-files.ts): the server's /ResourceTypes and /Schemas are
// read before the first check, so that what the server publishes decides what is sent and required.
import { beforeAll } from 'vitest';
import { loadServerSchema } from './server-schema.ts';

beforeAll(async () => {
  await loadServerSchema();
});
