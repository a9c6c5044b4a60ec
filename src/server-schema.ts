// The server's discovery documents for this run, read once per worker before the first spec file's
// checks (src/discovery-setup.ts) and then asked synchronously by body builders and checks: which
// attributes the server defines (src/discovery.ts). Step 00 judges the same answers.
import type { ScimResponse } from './client.ts';
import { readServerSchema, type ServerSchema } from './discovery.ts';
import { scim } from './suite.ts';

export interface DiscoveryDocuments {
  resourceTypes: Promise<ScimResponse>;
  schemas: Promise<ScimResponse>;
}

let documents: DiscoveryDocuments | undefined;
let model: ServerSchema | undefined;

/** GET /ResourceTypes and GET /Schemas, sent once; a transport error rejects (step 00 reports it). */
export function discoveryDocuments(): DiscoveryDocuments {
  documents ??= { resourceTypes: scim.get('/ResourceTypes'), schemas: scim.get('/Schemas') };
  return documents;
}

const settled = (res: Promise<ScimResponse>) => res.then((r) => r, () => undefined);

/** Reads the documents into the model; never throws (an unreadable answer means "everything is defined"). */
export async function loadServerSchema(): Promise<ServerSchema> {
  const { resourceTypes, schemas } = discoveryDocuments();
  model ??= readServerSchema(await settled(resourceTypes), await settled(schemas));
  return model;
}

/** The model, once loaded; before that (or in a process that never loads it), nothing is known. */
export function serverSchema(): ServerSchema {
  return model ?? { unreadable: 'the discovery documents were not read', resourceTypes: new Map(), schemas: new Map() };
}
