// Reading a resource back after a write: a write is proven by a fresh GET, never by its own
// answer alone. Attribute names are read in their canonical case (RFC 7643 as the schema spells them).
import type { ScimResponse } from './client.ts';
import { expectJsonObject, expectStatus } from './expect.ts';
import { scim } from './suite.ts';

export interface ReadBack {
  res: ScimResponse;
  resource: Record<string, unknown>;
}

/** GET /Users/{id} (or /Groups/{id}) that must answer 200 with a JSON object. */
export async function readBack(endpoint: 'Users' | 'Groups', id: string): Promise<ReadBack> {
  const res = await scim.get(`/${endpoint}/${encodeURIComponent(id)}`);
  expectStatus(res, 200, `GET /${endpoint}/{id} after the write`);
  return { res, resource: expectJsonObject(res) };
}

/** GET /Users/{id} that must answer 200 with a JSON object. */
export function readUser(id: string): Promise<ReadBack> {
  return readBack('Users', id);
}

/** The value at a path of member names: valueAt(user, 'name', 'familyName'); undefined when any step is missing. */
export function valueAt(resource: unknown, ...keys: string[]): unknown {
  let here: unknown = resource;
  for (const key of keys) {
    if (typeof here !== 'object' || here === null || Array.isArray(here)) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

/**
 * The values of a multi-valued complex attribute whose `type` is `type`, e.g. the work emails.
 * `type` is compared without regard to case: the User schema (RFC 7643 §8.7.1) gives it caseExact false.
 */
export function valuesOfType(attribute: unknown, type: string): Array<Record<string, unknown>> {
  if (!Array.isArray(attribute)) return [];
  return attribute.filter(
    (v): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string' && ((v as { type: string }).type.toLowerCase() === type.toLowerCase()),
  );
}
