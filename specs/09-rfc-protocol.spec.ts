// Step 9, the protocol beyond the clients (rfc profile only): what RFC 7644 gives a SCIM client
// that neither Entra nor Okta uses, so that a vendor who claims "SCIM 2.0" can show it: POST
// /.search, sorting when advertised, filter operators beyond eq, readOnly attributes kept on PUT,
// `attributes` on a read by id, and /Me. Three users with one name prefix are the scenery.
import { describe } from 'vitest';
import {
  check,
  expectEqual,
  expectJsonObject,
  expectListResponse,
  expectStatus,
  expectThat,
  filterQuery,
  once,
  readUser,
  requireMapped,
  requires,
  requiresCapability,
  sceneryUser,
  scim,
  uniqueName,
  valueAt,
  type ScimResponse,
} from '../src/harness.ts';

const RFC = ['rfc'] as const;
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

const OPERATORS = 'RFC 7644 §3.4.2.2: the filter operators eq, ne, co, sw, ew, pr, gt, ge, lt, le and the logical and, or, not, with grouping';

describe('09 RFC 7644 protocol beyond the clients', () => {
  // Three users whose userNames share a prefix, created out of alphabetical order.
  const prefix = uniqueName('rfc');
  const trio = once(async () => {
    const ids: Record<string, string> = {};
    for (const letter of ['b', 'c', 'a']) {
      const user = await sceneryUser(`rfc-${letter}`, (seed) => ({ ...seed, userName: `${prefix}-${letter}@example.com` }));
      ids[letter] = requires(user.id, `POST /Users for the user "${letter}" answered ${user.res.status} without an id`);
    }
    return ids as { a: string; b: string; c: string };
  });
  const userName = (letter: string) => `${prefix}-${letter}@example.com`;

  /** The userNames a list answer holds, in its order. */
  const userNamesIn = (res: ScimResponse) => expectListResponse(res).Resources.map((r) => String((r as { userName?: unknown }).userName));
  const ofTrio = (names: string[]) => names.map((n) => n.replace(`${prefix}-`, '').replace('@example.com', ''));

  check(
    {
      id: 'RFC-01',
      severity: 'should',
      profiles: RFC,
      requirement: 'RFC 7644 §3.4.3: "Clients MAY execute queries without passing parameters on the URL by using the HTTP POST verb combined with the "/.search" path extension." The body is a SearchRequest; the answer a ListResponse as for GET',
      title: 'POST /Users/.search with a SearchRequest {"filter": "userName eq \\"<user a>\\""} answers 200 with a ListResponse of exactly that user',
    },
    async () => {
      const { a } = await trio();
      const res = await scim.post('/Users/.search', { schemas: [SEARCH_REQUEST], filter: `userName eq "${userName('a')}"`, startIndex: 1, count: 10 });
      const list = expectListResponse(res);
      expectThat(list.totalResults === 1 && list.Resources.length === 1 && (list.Resources[0] as { id?: unknown }).id === a, `expected exactly user a (${a}), got totalResults ${list.totalResults}`, res);
    },
  );

  check(
    {
      id: 'RFC-02',
      severity: 'must',
      profiles: RFC,
      requirement:
        'RFC 7644 §3.4.2.3: "The "sortBy" parameter specifies the attribute whose value SHALL be used to order the returned responses"; sortOrder "descending" reverses it; applies when the ServiceProviderConfig says sort.supported',
      title: 'GET /Users?filter=userName sw "<prefix>"&sortBy=userName&sortOrder=descending answers the three users in the order c, b, a',
    },
    async () => {
      await requiresCapability('sort');
      await trio();
      const res = await scim.get(`/Users?${filterQuery(`userName sw "${prefix}"`)}&sortBy=userName&sortOrder=descending`);
      expectEqual(ofTrio(userNamesIn(res)), ['c', 'b', 'a'], 'the order of the users', res);
    },
  );

  check(
    {
      id: 'RFC-03',
      severity: 'should',
      profiles: RFC,
      requirement: `${OPERATORS}; sw: "The entire operator value must be a substring of the attribute value, starting at the beginning of the attribute value."`,
      title: 'GET /Users?filter=userName sw "<prefix>" answers exactly the three users with that prefix',
    },
    async () => {
      await trio();
      const res = await scim.get(`/Users?${filterQuery(`userName sw "${prefix}"`)}`);
      expectEqual(ofTrio(userNamesIn(res)).sort(), ['a', 'b', 'c'], 'the users found', res);
    },
  );

  check(
    {
      id: 'RFC-04',
      severity: 'should',
      profiles: RFC,
      requirement: `${OPERATORS}; pr: "If the attribute has a non-empty value ... there is a match."`,
      title: 'After PATCH add nickName to user b, GET /Users?filter=userName sw "<prefix>" and nickName pr answers only user b',
    },
    async () => {
      // nickName, which no create body carries: only user b has one.
      requireMapped('nickName');
      const { b } = await trio();
      const added = await scim.patch(`/Users/${b}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'nickName', value: 'Bee' }] });
      expectStatus(added, [200, 204], 'PATCH add nickName to user b');
      const res = await scim.get(`/Users?${filterQuery(`userName sw "${prefix}" and nickName pr`)}`);
      expectEqual(ofTrio(userNamesIn(res)), ['b'], 'the users found', res);
    },
  );

  check(
    {
      id: 'RFC-05',
      severity: 'should',
      profiles: RFC,
      requirement: `${OPERATORS}; or: "The filter is only a match if either expression evaluates to true."`,
      title: 'GET /Users?filter=userName eq "<a>" or userName eq "<c>" answers exactly users a and c',
    },
    async () => {
      await trio();
      const res = await scim.get(`/Users?${filterQuery(`userName eq "${userName('a')}" or userName eq "${userName('c')}"`)}`);
      expectEqual(ofTrio(userNamesIn(res)).sort(), ['a', 'c'], 'the users found', res);
    },
  );

  check(
    {
      id: 'RFC-06',
      severity: 'should',
      profiles: RFC,
      requirement: `${OPERATORS}; gt and lt compare DateTime values chronologically ("If the attribute value is greater than the operator value, there is a match")`,
      title: 'GET /Users?filter=userName sw "<prefix>" and meta.created gt "2000-01-01T00:00:00Z" answers the three users, and ... lt the same instant none',
    },
    async () => {
      await trio();
      const after = await scim.get(`/Users?${filterQuery(`userName sw "${prefix}" and meta.created gt "2000-01-01T00:00:00Z"`)}`);
      expectEqual(ofTrio(userNamesIn(after)).sort(), ['a', 'b', 'c'], 'the users created after 2000', after);
      const before = await scim.get(`/Users?${filterQuery(`userName sw "${prefix}" and meta.created lt "2000-01-01T00:00:00Z"`)}`);
      expectEqual(userNamesIn(before), [], 'the users created before 2000', before);
    },
  );

  check(
    {
      id: 'RFC-07',
      severity: 'must',
      profiles: RFC,
      requirement:
        'RFC 7644 §3.5.1: with PUT, "readOnly: Any values provided SHALL be ignored"; RFC 7643 §3.1: meta.created is "The "DateTime" that the resource was added to the service provider"',
      title: 'PUT /Users/{id} with the whole user and a meta.created of 2000 answers 200, and the answer and a fresh GET keep the original id and meta.created',
    },
    async () => {
      const { a } = await trio();
      const { resource } = await readUser(a);
      const created = valueAt(resource, 'meta', 'created');
      const res = await scim.put(`/Users/${a}`, { ...resource, meta: { created: '2000-01-01T00:00:00Z' } });
      expectStatus(res, 200, 'PUT');
      expectEqual(expectJsonObject(res).id, a, 'id in the PUT answer', res);
      expectEqual(valueAt(expectJsonObject(res), 'meta', 'created'), created, 'meta.created in the PUT answer', res);
      const { res: got, resource: after } = await readUser(a);
      expectEqual(valueAt(after, 'meta', 'created'), created, 'meta.created (fresh GET)', got);
    },
  );

  check(
    {
      id: 'RFC-08',
      severity: 'must',
      profiles: RFC,
      requirement:
        'RFC 7644 §3.4.2.5: "attributes" and "excludedAttributes" "MUST be supported by SCIM service providers", on a read by id too (§3.9); RFC 7643 §7: "id" is returned "always"',
      title: 'GET /Users/{id}?attributes=userName answers the user with id and userName, and without name, emails or active',
    },
    async () => {
      const { a } = await trio();
      const res = await scim.get(`/Users/${a}?attributes=userName`);
      expectStatus(res, 200);
      const user = expectJsonObject(res);
      expectEqual(user.id, a, 'id', res);
      expectEqual(user.userName, userName('a'), 'userName', res);
      const extra = ['name', 'emails', 'active'].filter((key) => key in user);
      expectThat(extra.length === 0, `expected only the requested attributes (and id, schemas, meta), but ${extra.join(', ')} came back too`, res);
    },
  );

  check(
    {
      id: 'RFC-09',
      severity: 'should',
      profiles: RFC,
      requirement: 'RFC 7644 §3.11: "A service provider that does NOT support this feature SHOULD respond with HTTP status code 501 (Not Implemented)."',
      title: 'GET /Me answers the authenticated subject (200 or a 308 redirect) or 501 Not Implemented, not 404',
    },
    async () => {
      const res = await scim.get('/Me');
      expectStatus(res, [200, 308, 501], 'GET /Me');
    },
  );
});
