// Read-only lookup, for production tenants (SCIM_READ_ONLY=true): nothing is created, so the
// user looked up is one that exists already, named by the admin in SCIM_READ_ONLY_USERNAME.
// Entra matches that way before every update: GET /Users?filter=userName eq "<userName>", then
// GET /Users/{id}. In a full run the match-user checks (specs/03) cover this with users of their own.
import { describe } from 'vitest';
import {
  applicableOnlyIf,
  check,
  entra,
  expectEqual,
  expectJsonObject,
  expectListResponse,
  expectSchema,
  expectStatus,
  expectThat,
  once,
  requires,
  scim,
  target,
  type ScimResponse,
} from '../src/harness.ts';

const LOOKUP =
  'Entra: "Get User by query": GET /Users?filter=userName eq "..." answers 200 with a ListResponse, totalResults 1 and the user in Resources; RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression SHALL be returned."';
const BY_ID = 'Entra: "Retrieve a known resource for a user or group created earlier" (RFC 7644 §3.4.1); "By default, users are retrieved with their id"';
const CASE =
  'RFC 7643 §4.1.1: userName "This attribute is REQUIRED and is case insensitive."; RFC 7643 §7 caseExact: "The server SHALL use case sensitivity when evaluating filters."';

/** The userName to look up, or the check is not applicable (and says why). */
function userName(): string {
  applicableOnlyIf(target.readOnly, 'runs in read-only mode only (SCIM_READ_ONLY=true); a full run looks users up in 03 match-user');
  applicableOnlyIf(target.readOnlyUserName, 'set SCIM_READ_ONLY_USERNAME to the userName of an existing user to run the read-only lookups');
  return target.readOnlyUserName!;
}

function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** The one user the lookup answers, from a lookup that must find exactly it. */
function theUserIn(res: ScimResponse, name: string, what: string): Record<string, unknown> {
  const list = expectListResponse(res);
  expectThat(
    list.totalResults === 1 && list.Resources.length === 1,
    `expected ${what} to find exactly one user, got totalResults ${list.totalResults} with ${list.Resources.length} Resources${list.totalResults === 0 ? ' (does SCIM_READ_ONLY_USERNAME name an existing user?)' : ''}`,
    res,
  );
  const found = list.Resources[0] as Record<string, unknown>;
  expectThat(sameName(found.userName, name), `expected the user found to have userName "${name}", got ${JSON.stringify(found.userName)}`, res);
  return found;
}

describe('08 Read-only lookup', () => {
  const lookup = once(() => scim.get(entra.lookupPath('Users', 'userName', target.readOnlyUserName ?? '')));

  check(
    { id: 'RO-01', severity: 'must', requirement: LOOKUP, title: 'GET /Users?filter=userName+eq+%22<SCIM_READ_ONLY_USERNAME>%22 answers 200 with a ListResponse holding exactly that user' },
    async () => {
      const name = userName();
      theUserIn(await lookup(), name, 'the lookup');
    },
  );

  check(
    { id: 'RO-02', severity: 'must', requirement: BY_ID, title: 'GET /Users/{id} of the user the lookup found answers 200 with that user (same id and userName)' },
    async () => {
      const name = userName();
      const listed = await lookup();
      const id = requires(
        listed.status === 200 ? ((listed.json as { Resources?: Array<{ id?: unknown }> } | undefined)?.Resources?.[0]?.id as string | undefined) : undefined,
        'the lookup found no user to read by id (RO-01)',
      );
      const res = await scim.get(`/Users/${encodeURIComponent(id)}`);
      expectStatus(res, 200, 'GET /Users/{id}');
      const user = expectJsonObject(res);
      expectEqual(user.id, id, 'the id', res);
      expectThat(sameName(user.userName, name), `expected userName "${name}", got ${JSON.stringify(user.userName)}`, res);
      expectSchema(res, 'user-response');
    },
  );

  check(
    { id: 'RO-03', severity: 'should', requirement: CASE, title: 'GET /Users?filter=userName eq "<SCIM_READ_ONLY_USERNAME in upper case>" finds the same user (userName is case insensitive)' },
    async () => {
      const name = userName();
      const upper = name.toUpperCase();
      applicableOnlyIf(upper !== name, `"${name}" has no lower-case letters to change`);
      const res = await scim.get(entra.lookupPath('Users', 'userName', upper));
      theUserIn(res, name, 'the lookup in upper case');
    },
  );
});
