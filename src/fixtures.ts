// Builders for the users and groups a spec file needs as scenery: sent exactly as the
// running profile sends them, recorded by the ledger, deleted at the end of the file.
import type { ScimResponse } from './client.ts';
import { client } from './active-profile.ts';
import { userSeed, type UserSeed } from './profiles/entra.ts';
import { uniqueName } from './names.ts';
import { scim } from './suite.ts';

export interface CreatedUser {
  seed: UserSeed;
  body: Record<string, unknown>;
  res: ScimResponse;
  /** The id the server assigned; undefined when the create failed. */
  id?: string;
}

function idOf(res: ScimResponse): string | undefined {
  const id = (res.json as { id?: unknown } | undefined)?.id;
  return res.status < 300 && typeof id === 'string' && id !== '' ? id : undefined;
}

export async function createUser(label: string, change: (seed: UserSeed) => UserSeed = (s) => s): Promise<CreatedUser> {
  const seed = change(userSeed(label));
  const body = client.createUserBody(seed);
  const res = await scim.post('/Users', body);
  return { seed, body, res, id: idOf(res) };
}

export interface CreatedGroup {
  displayName: string;
  externalId: string;
  res: ScimResponse;
  id?: string;
}

export async function createGroup(label: string): Promise<CreatedGroup> {
  const displayName = uniqueName(label);
  const externalId = uniqueName(`${label}-ext`);
  const res = await scim.post('/Groups', client.createGroupBody(displayName, externalId));
  return { displayName, externalId, res, id: idOf(res) };
}

/** Runs `make` once and hands every caller the same promise: several checks read one exchange. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
