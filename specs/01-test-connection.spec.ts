// Step 1, Test Connection: the admin pastes Tenant URL and Secret Token and clicks
// "Test Connection". Entra looks up a user that cannot exist (a random GUID on the matching
// attribute) and expects 200 with an empty ListResponse; a 404 quarantines the job. Okta's Test
// Connector lists the first two users instead (GET /Users?startIndex=1&count=2).
import { beforeAll, describe } from 'vitest';
import {
  check,
  client,
  createUser,
  expectListResponse,
  expectEmptyListResponse,
  expectMediaType,
  expectNoMatch,
  expectScimError,
  expectStatus,
  expectThat,
  lookupPath,
  matchingAttribute,
  randomGuid,
  scim,
  target,
  wrongCredential,
} from '../src/harness.ts';

// The lookups use the matching attribute of the attribute mapping (SCIM_MAPPING), userName by default.
const EMPTY_LIST =
  'Entra: Test Connection queries a random GUID on the matching attribute and expects "200 with an empty ListResponse"; RFC 7644 §3.4.2: a query that matches nothing answers 200 with totalResults 0';

/** The filter encodings Entra's provisioning service and its SCIM Validator send. */
const ENTRA = ['entra', 'entra-2020'] as const;

describe('01 Test Connection', () => {
  // A user exists, so that an endpoint that ignores the filter would return it. Not in read-only
  // mode, which writes nothing: a production tenant has users of its own.
  beforeAll(async () => {
    if (!target.readOnly) await createUser('conn-bystander');
  });

  check(
    { id: 'CONN-01', severity: 'must', profiles: ENTRA, requirement: EMPTY_LIST, title: `GET /Users?filter=${matchingAttribute}+eq+%22<random guid>%22 (as Entra encodes it) answers 200 with an empty ListResponse` },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid(), 'entra'));
      expectEmptyListResponse(res);
    },
  );

  check(
    { id: 'CONN-02', severity: 'must', requirement: EMPTY_LIST, title: `GET /Users?filter=${matchingAttribute}%20eq%20%22<random guid>%22 (plain percent-encoding) answers 200 with an empty ListResponse (Okta, which reads 404 as no match, also takes 404)` },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid(), 'percent'));
      expectNoMatch(res);
    },
  );

  check(
    {
      id: 'CONN-03',
      severity: 'should',
      profiles: ENTRA,
      requirement: 'Microsoft SCIM Validator: sends the filter with raw double quotes (filter=userName+eq+"...") and expects 200 with an empty ListResponse',
      title: `GET /Users?filter=${matchingAttribute}+eq+"<random guid>" (raw quotes, as the Microsoft SCIM Validator sends it) answers 200 with an empty ListResponse`,
    },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid(), 'validator'));
      expectEmptyListResponse(res);
    },
  );

  check(
    {
      id: 'CONN-04',
      severity: 'must',
      requirement: 'RFC 7644 §3.12: 401 Unauthorized, "Authorization failure. The authorization header is invalid or missing."',
      title: 'GET /Users without an Authorization header answers 401',
    },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid()), { auth: 'none' });
      // A check that sends a token by accident proves nothing: look at what went on the wire.
      expectThat(res.exchange.request.headers.authorization === undefined, 'the suite sent an Authorization header; this check is void', res);
      expectStatus(res, 401);
    },
  );

  check(
    {
      id: 'CONN-05',
      severity: 'must',
      requirement: 'RFC 7644 §3.12: 401 Unauthorized, "Authorization failure. The authorization header is invalid or missing."',
      title: 'GET /Users with a wrong bearer token (under SCIM_AUTH=basic: a wrong Basic password) answers 401',
    },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid()), { auth: wrongCredential() });
      expectStatus(res, 401);
    },
  );

  check(
    {
      id: 'CONN-06',
      severity: 'should',
      requirement: 'RFC 7644 §3.12: errors carry the Error schema "urn:ietf:params:scim:api:messages:2.0:Error" and "status", "The HTTP status code ... expressed as a JSON string"',
      title: 'A request with a wrong token is answered with a SCIM Error body whose status is "401"',
    },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid()), { auth: wrongCredential() });
      expectScimError(res, 401);
    },
  );

  check(
    {
      id: 'CONN-07',
      severity: 'should',
      requirement: 'RFC 7644 §8.1: SCIM messages use the media type "application/scim+json"; Entra: responses should be application/scim+json',
      title: 'The Test Connection answer has Content-Type application/scim+json (parameters such as charset allowed)',
    },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid()));
      expectStatus(res, 200);
      expectMediaType(res, 'application/scim+json');
    },
  );
  check(
    {
      id: 'CONN-08',
      severity: 'must',
      profiles: ['okta'],
      requirement:
        'Okta: the Test Connector sends GET /Users?startIndex=1&count=2 and expects a ListResponse; RFC 7644 §3.4.2.4: count "Non-negative integer. Specifies the desired maximum number of query results per page"',
      title: "GET /Users?startIndex=1&count=2 (Okta's Test Connector), with three users present, answers 200 with a ListResponse of at most 2 users",
    },
    async () => {
      // Three users at least, so that an endpoint that ignores count shows it.
      if (!target.readOnly) for (const label of ['conn-page-a', 'conn-page-b']) await createUser(label);
      const res = await scim.get(client.testConnectionPath(randomGuid()));
      const list = expectListResponse(res);
      expectThat(list.Resources.length <= 2, `expected at most 2 users on the page (count=2), got ${list.Resources.length}`, res);
      if (!target.readOnly) expectThat(list.Resources.length >= 1, 'expected at least 1 user on the page: one was created for this step', res);
    },
  );

  check(
    {
      id: 'CONN-09',
      severity: 'should',
      requirement:
        'RFC 9110 §15.5.2: "The server generating a 401 response MUST send a WWW-Authenticate header field (Section 11.6.1) containing at least one challenge applicable to the target resource."; RFC 9110 §11.6.1: "A server generating a 401 (Unauthorized) response MUST send a WWW-Authenticate header field containing at least one challenge."',
      title: 'GET /Users with a wrong bearer token (under SCIM_AUTH=basic: a wrong Basic password) answers 401 with a WWW-Authenticate header naming at least one challenge',
    },
    async () => {
      const res = await scim.get(lookupPath('Users', matchingAttribute, randomGuid()), { auth: wrongCredential() });
      expectStatus(res, 401);
      // A challenge starts with its auth-scheme token (RFC 9110 §11.3), e.g. Bearer realm="scim".
      const challenge = res.headers['www-authenticate'];
      expectThat(challenge !== undefined, 'expected a WWW-Authenticate header with the 401 (e.g. Bearer realm="scim"), got none', res);
      expectThat(/^\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+/.test(challenge), `expected WWW-Authenticate to name an auth-scheme (e.g. Bearer), got ${JSON.stringify(challenge)}`, res);
    },
  );
});
