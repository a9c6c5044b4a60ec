// Step 3, match user: before it creates anyone, Entra looks the user up by the matching attribute
// (userName by default, precedence 1; externalId was the legacy default; an admin may make any
// uniqueness attribute, e.g. emails[type eq "work"].value, a matching attribute). It sends
// GET /Users?filter=<attribute> eq "<value>" and needs 200 with a ListResponse holding exactly that
// user, or an empty one, then reads the user by id. Several users share this file's tenant, among
// them a "twin" whose userName, externalId and work email all start with the target's values, so
// that an endpoint that ignores the filter, or reads eq as "starts with" / "contains", is caught.
import { describe } from 'vitest';
import {
  applicableOnlyIf,
  check,
  client,
  compare,
  type CreatedUser,
  createUser,
  entra,
  eq,
  expectEmptyListResponse,
  expectEqual,
  expectJsonObject,
  expectListResponse,
  expectNoMatch,
  expectOnlyResource,
  expectSchema,
  expectScimError,
  expectStatus,
  expectThat,
  fail,
  filterQuery,
  lookupPath,
  once,
  profilesWhere,
  randomGuid,
  requireMapped,
  requires,
  sceneryUser,
  scim,
  type ScimResponse,
  target,
} from '../src/harness.ts';

const ENTERPRISE = entra.SCHEMA.enterprise;

const USERNAME_LOOKUP =
  'Entra: "Get User by query": GET /Users?filter=userName eq "Test_User_..." answers 200 with a ListResponse, totalResults 1 and the user in Resources; RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression SHALL be returned."';
const USERNAME_CASE =
  'RFC 7643 §4.1.1: userName "This attribute is REQUIRED and is case insensitive."; RFC 7643 §7 caseExact: "The server SHALL use case sensitivity when evaluating filters."';
const NAMES_CASE = 'RFC 7644 §3.4.2.2: "Attribute names and attribute operators used in filters are case insensitive."';
const ENCODINGS = 'Entra and the Microsoft SCIM Validator put the same filter on the wire in different encodings (wire-reference.md §0): "+" and %22, %20, raw double quotes';
const EXTERNAL_ID =
  'Entra: "By default, users are retrieved with their id and queried with their username and externalId" (externalId, mapped from mailNickname, was the default matching attribute); RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression SHALL be returned."';
const EXTERNAL_ID_CASE =
  'RFC 7643 §3.1: externalId "This attribute has "caseExact" as "true" and a mutability of "readWrite"."; RFC 7643 §7 caseExact: "The server SHALL use case sensitivity when evaluating filters."';
const NO_MATCH =
  'RFC 7644 §3.4.2: "A query that does not return any matches SHALL return success (HTTP status code 200) with "totalResults" set to a value of 0."; Entra: "Get User by query - Zero results" answers 200 with totalResults 0 and "Resources": [] (a 404 quarantines the job)';
const UNIQUENESS_FILTERABLE =
  'Entra: "Any attributes that are considered for user uniqueness must be usable as part of a filtered query. (for example, if user uniqueness is evaluated for both userName and emails[type eq "work"], a GET to /Users with a filter must allow for both userName eq "user@contoso.com" and emails[type eq "work"].value eq "user@contoso.com" queries."';
const GET_BY_ID =
  'Entra: "Retrieve a known resource for a user or group created earlier" (RFC 7644 §3.4.1); "By default, users are retrieved with their id"; RFC 7643 §3.1: id is "A unique identifier for a SCIM resource as defined by the service provider"';
const NOT_FOUND =
  'RFC 7644 §3.12: 404 "Specified resource (e.g., User) or endpoint does not exist."; "status": "The HTTP status code (see Section 6 of [RFC7231]) expressed as a JSON string. REQUIRED."; Entra: "Response (User not found. The detail isn\'t required, only status.)" {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404",...}';
const PAGING =
  'RFC 7644 §3.4.2.4: startIndex is "The 1-based index of the first query result"; count: "When specified, the service provider MUST NOT return more results than specified, although it MAY return fewer results."; RFC 7644 §3.4.2: totalResults is "The total number of results returned by the list or query operation", itemsPerPage "The number of resources returned in a list response page"; Entra: "Support listing users and paginating"';
const VALIDATOR_PAGING =
  'Microsoft SCIM Validator (SCIM_User_Pagination_Test, mandatory): pages through GET /Users?startIndex=N&count=5 and requires "response startIndex matches expected value (page * 5 + 1)"; RFC 7644 §3.4.2: startIndex "The 1-based index of the first result in the current set of list results. REQUIRED when partial results are returned due to pagination."';
const COUNT_ZERO =
  'RFC 7644 §3.4.2.4: count "A value of "0" indicates that no resource results are to be returned except for "totalResults"."';
const ATTRIBUTES =
  'RFC 7644 §3.4.2.5: "SCIM clients MAY use one of these two OPTIONAL parameters, which MUST be supported by SCIM service providers"; attributes: "the default list of attributes SHALL be overridden, and each resource returned MUST contain the minimum set of resource attributes and any attributes or sub-attributes explicitly requested"; RFC 7643 §3.1: id has "a "returned" characteristic of "always""';
const EXCLUDED =
  'RFC 7644 §3.4.2.5: "SCIM clients MAY use one of these two OPTIONAL parameters, which MUST be supported by SCIM service providers"; excludedAttributes: "each resource returned MUST contain the minimum set of resource attributes. Additionally, the default set of attributes minus those attributes listed in "excludedAttributes" is returned."';
const INVALID_FILTER =
  'RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression SHALL be returned." — a filter the server cannot evaluate must be refused, not ignored; RFC 7644 §3.12: 400 "Request is unparsable, syntactically incorrect, or violates schema."';
const INVALID_FILTER_TYPE =
  'RFC 7644 §3.12 Table 9: scimType invalidFilter, "The specified filter syntax was invalid (does not comply with Figure 1), or the specified attribute and filter comparison combination is not supported.", applies to GET (Section 3.4.2)';
const LEGACY_MANAGER =
  'Entra (2017 SCIM provisioning article): checks a manager reference with GET /Users?filter=id eq "<id>" and manager eq "<managerId>"&attributes=id; RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression SHALL be returned."';
const UNPARSABLE_FILTER =
  'RFC 7644 §3.4.2.2: "Providers MUST decline to filter results if the specified filter operation is not recognized and return an HTTP 400 error with a "scimType" error of "invalidFilter" and an appropriate human-readable response as per Section 3.12."; RFC 7644 §3.12: 400 "Request is unparsable, syntactically incorrect, or violates schema."';
const MULTI_VALUED_FILTER =
  'RFC 7644 §3.4.2.2: "If the specified attribute in a filter expression is a multi-valued attribute, the filter matches if any of the values of the specified attribute match the specified criterion; e.g., if a User has multiple "emails" values, only one has to match for the entire User to match. For complex attributes, a fully qualified sub-attribute MUST be specified using standard attribute notation (Section 3.10)."';
const ALWAYS_RETURNED =
  'RFC 7643 §3: "schemas" "is a REQUIRED attribute and is an array of Strings containing URIs that are used to indicate the namespaces of the SCIM schemas that define the attributes present in the current JSON structure"; RFC 7643 §2.2 returned "always": "The attribute is always returned, regardless of the contents of the "attributes" parameter. For example, "id" is always returned to identify a SCIM resource."; RFC 7644 §3.4.2.5: "each resource returned MUST contain the minimum set of resource attributes and any attributes or sub-attributes explicitly requested by the "attributes" parameter"';
const NOT_FOUND_SCIMTYPE =
  'RFC 7644 §3.12: "scimType": "A SCIM detail error keyword. See Table 9. OPTIONAL."; "For HTTP status code 400 (Bad Request) responses, the following detail error types are defined:" (Table 9: invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget, invalidValue, invalidVers, sensitive); 404: "Specified resource (e.g., User) or endpoint does not exist."';
/** RFC 7644 §3.12 Table 9: the scimType keywords, all for 400 Bad Request. */
const BAD_REQUEST_SCIM_TYPES = ['invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax', 'invalidPath', 'noTarget', 'invalidValue', 'invalidVers', 'sensitive'];

/** The values of a user's work emails. */
function workEmails(user: Record<string, unknown>): unknown[] {
  const emails = Array.isArray(user.emails) ? (user.emails as unknown[]) : [];
  return emails
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && String((e as { type?: unknown }).type).toLowerCase() === 'work')
    .map((e) => e.value);
}

/** 'AbC' -> 'aBc': a spelling of the value that differs from the stored one in every letter. */
function swapCase(value: string): string {
  return [...value].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** The id of a created user, or a skip with the reason. */
function idOf(user: CreatedUser, role: string): string {
  return requires(user.id, `POST /Users for the ${role} answered ${user.res.status} without an id`);
}

/** A create body whose enterprise manager is the complex {"value": <id>} of RFC 7643 §4.3. */
function withComplexManager(body: Record<string, unknown>, managerId: string): Record<string, unknown> {
  const enterprise = (body[ENTERPRISE] ?? {}) as Record<string, unknown>;
  const schemas = Array.isArray(body.schemas) ? (body.schemas as string[]) : [];
  return { ...body, schemas: schemas.includes(ENTERPRISE) ? schemas : [...schemas, ENTERPRISE], [ENTERPRISE]: { ...enterprise, manager: { value: managerId } } };
}

/** The id in a 2xx answer to a create, if any. */
function createdId(res: ScimResponse | undefined): string | undefined {
  const id = (res?.json as { id?: unknown } | undefined)?.id;
  return res && res.status < 300 && typeof id === 'string' && id !== '' ? id : undefined;
}

/** The top-level attributes of a user that `attributes`/`excludedAttributes` may not bring back. */
function present(resource: Record<string, unknown>, names: string[]): string[] {
  return names.filter((name) => resource[name] !== undefined && resource[name] !== null);
}

describe('03 Match user (matching attribute lookup)', () => {
  // The user Entra matches, with a mixed-case userName domain (userName is case insensitive, so the
  // lookups below spell it differently), a twin whose values start with the target's, and a bystander.
  const users = once(async () => {
    const target = await sceneryUser('match-target', (s) => ({ ...s, userName: `${s.userName.split('@')[0]}@Match.Example.COM` }));
    const t = target.seed;
    const twin = await sceneryUser('match-twin', (s) => ({ ...s, userName: `${t.userName}.twin`, externalId: `${t.externalId}-twin`, email: `${t.email}.twin` }));
    const bystander = await sceneryUser('match-bystander');
    return {
      id: idOf(target, 'target user'),
      seed: t,
      twinId: idOf(twin, 'twin user (needed to show that exactly one user is found)'),
      bystanderId: idOf(bystander, 'bystander user (needed to show that exactly one user is found)'),
    };
  });

  /** Entra's own lookup, read by several checks. */
  const byUserName = once(async () => {
    const { id, seed } = await users();
    return { id, seed, res: await scim.get(lookupPath('Users', 'userName', seed.userName)) };
  });

  check(
    {
      id: 'MATCH-01',
      profiles: ['entra', 'entra-2020'],
      severity: 'must',
      requirement: USERNAME_LOOKUP,
      title: 'GET /Users?filter=userName+eq+%22<userName>%22 (as Entra encodes it), with other users present, answers 200 with a ListResponse of exactly that user (totalResults 1, its id and userName)',
    },
    async () => {
      const { id, seed, res } = await byUserName();
      const found = expectOnlyResource(res, id, 'user with that userName');
      expectSchema(res, 'user', found);
      // userName is case insensitive, so a server MAY store it in another case (RFC 7643 §7 caseExact).
      expectEqual(String(found.userName).toLowerCase(), seed.userName.toLowerCase(), 'the userName of the user found (compared without case)', res);
    },
  );

  check(
    {
      id: 'MATCH-02',
      severity: 'must',
      requirement: `${USERNAME_CASE}; Entra: a UPN whose case changed in the directory must still match, or Entra tries to create the user again`,
      title: 'GET /Users?filter=userName eq "<userName with every letter in the other case>" finds the same user (totalResults 1, its id)',
    },
    async () => {
      const { id, seed } = await users();
      const res = await scim.get(lookupPath('Users', 'userName', swapCase(seed.userName)));
      expectOnlyResource(res, id, 'user whose userName differs only in case');
    },
  );

  check(
    {
      id: 'MATCH-03',
      severity: 'should',
      requirement: NAMES_CASE,
      title: 'GET /Users?filter=USERNAME eq "<userName>" (the attribute name in capitals) finds the user (totalResults 1, its id)',
    },
    async () => {
      const { id, seed } = await users();
      const res = await scim.get(`/Users?${filterQuery(eq('USERNAME', seed.userName))}`);
      expectOnlyResource(res, id, 'user found by USERNAME');
    },
  );

  check(
    {
      id: 'MATCH-04',
      severity: 'must',
      requirement: `${ENCODINGS}; most HTTP libraries encode spaces as %20`,
      title: 'GET /Users?filter=userName%20eq%20%22<userName>%22 (plain percent-encoding) finds the user (totalResults 1, its id)',
    },
    async () => {
      const { id, seed } = await users();
      const res = await scim.get(entra.lookupPath('Users', 'userName', seed.userName, 'percent'));
      expectOnlyResource(res, id, 'user found with a %20-encoded filter');
    },
  );

  check(
    {
      id: 'MATCH-05',
      profiles: ['entra', 'entra-2020'],
      severity: 'should',
      requirement: `${ENCODINGS}; the Microsoft SCIM Validator sends filter=userName+eq+"..." with raw double quotes`,
      title: 'GET /Users?filter=userName+eq+"<userName>" (raw double quotes, as the Microsoft SCIM Validator sends it) finds the user (totalResults 1, its id)',
    },
    async () => {
      const { id, seed } = await users();
      const res = await scim.get(entra.lookupPath('Users', 'userName', seed.userName, 'validator'));
      expectOnlyResource(res, id, 'user found with a raw-quoted filter');
    },
  );

  check(
    {
      id: 'MATCH-06',
      severity: 'must',
      requirement: EXTERNAL_ID,
      title: 'GET /Users?filter=externalId+eq+%22<externalId>%22, with a user whose externalId starts with the same value present, answers exactly that user (totalResults 1, its id and externalId)',
    },
    async () => {
      requireMapped('externalId');
      const { id, seed } = await users();
      const res = await scim.get(lookupPath('Users', 'externalId', seed.externalId));
      const found = expectOnlyResource(res, id, 'user with that externalId');
      expectEqual(found.externalId, seed.externalId, 'the externalId of the user found (caseExact: exactly as sent)', res);
    },
  );

  check(
    {
      id: 'MATCH-07',
      severity: 'should',
      requirement: EXTERNAL_ID_CASE,
      title: 'GET /Users?filter=externalId eq "<externalId in capitals>" answers 200 with an empty ListResponse (Okta, which reads 404 as no match, also takes 404): externalId is case exact',
    },
    async () => {
      requireMapped('externalId');
      const { seed } = await users();
      const res = await scim.get(lookupPath('Users', 'externalId', seed.externalId.toUpperCase()));
      expectNoMatch(res);
    },
  );

  check(
    {
      id: 'MATCH-08',
      severity: 'must',
      // Okta reads a 404 as "no such user", so only the clients that need the empty list are held to it.
      profiles: profilesWhere((p) => !p.acceptsNotFoundForNoMatch),
      requirement: NO_MATCH,
      title: 'GET /Users?filter=externalId eq "<random guid>", with users present, answers 200 with an empty ListResponse, not 404',
    },
    async () => {
      requireMapped('externalId');
      await users();
      const res = await scim.get(lookupPath('Users', 'externalId', randomGuid()));
      expectEmptyListResponse(res);
    },
  );

  // A user whose "other" (not work) email is the target's work email: a server that reads
  // emails[type eq "work"].value as emails.value returns it too. Servers that make email values unique
  // across users refuse it (409): then the check still runs, with the twin and the bystander present.
  const otherEmailHolder = once(async () => {
    const { seed } = await users();
    const mine = entra.userSeed('match-other-email');
    const res = await scim.post('/Users', { ...client.createUserBody(mine), emails: [{ primary: true, type: 'work', value: mine.email }, { type: 'other', value: seed.email }] });
    return res;
  });

  check(
    {
      id: 'MATCH-09',
      severity: 'must',
      requirement: UNIQUENESS_FILTERABLE,
      title:
        'GET /Users?filter=emails[type eq "work"].value eq "<work email>" answers exactly the user with that work email, not a user whose work email starts with it nor (where the server allows the duplicate) one whose "other" email it is',
    },
    async () => {
      requireMapped('emails[type eq "work"].value');
      const { id, seed } = await users();
      await otherEmailHolder();
      const res = await scim.get(`/Users?${filterQuery(eq('emails[type eq "work"].value', seed.email))}`);
      const found = expectOnlyResource(res, id, 'user with that work email');
      expectThat(
        workEmails(found).some((v) => String(v).toLowerCase() === seed.email.toLowerCase()),
        `expected the user found to have the work email ${seed.email}, got ${JSON.stringify(found.emails)}`,
        res,
      );
    },
  );

  check(
    {
      id: 'MATCH-10',
      severity: 'must',
      requirement: GET_BY_ID,
      title: 'GET /Users/{id} answers 200 with the same user the userName lookup returned: id, userName, externalId, name, emails, active, enterprise attributes and meta.created agree',
    },
    async () => {
      const { id, res: lookup } = await byUserName();
      const listed = expectOnlyResource(lookup, id, 'user with that userName (MATCH-01)');
      const res = await scim.get(`/Users/${encodeURIComponent(id)}`);
      expectStatus(res, 200, 'GET /Users/{id}');
      const user = expectJsonObject(res);
      expectSchema(res, 'user');
      for (const name of ['id', 'userName', 'externalId', 'name', 'emails', 'active', ENTERPRISE]) {
        expectEqual(user[name], listed[name], `"${name}" of GET /Users/{id} (the ListResponse element had it as shown)`, res);
      }
      const meta = (value: unknown) => (value as { meta?: { created?: unknown; resourceType?: unknown } } | undefined)?.meta;
      expectEqual(meta(user)?.created, meta(listed)?.created, 'meta.created of GET /Users/{id} (as in the ListResponse element)', res);
      expectEqual(meta(user)?.resourceType, meta(listed)?.resourceType, 'meta.resourceType of GET /Users/{id} (as in the ListResponse element)', res);
    },
  );

  check(
    {
      id: 'MATCH-11',
      severity: 'must',
      requirement: NOT_FOUND,
      title: 'GET /Users/<random guid> answers 404 with a SCIM Error body whose status is the string "404"',
    },
    async () => {
      const res = await scim.get(`/Users/${randomGuid()}`);
      expectScimError(res, 404);
    },
  );

  // Paging is checked over users only this file creates, under one userName prefix, so that the
  // set is known and stable: on a real tenant with thousands of users (and other steps creating and
  // deleting users at the same time) a walk over everyone is slow and its pages shift under it.
  // The prefix needs the `sw` operator; for an endpoint without it MATCH-12 does not apply, and MATCH-13 still
  // checks paging over all users the way the Microsoft validator does.
  const PAGE_SIZE = 2;
  const pageUsers = once(async () => {
    const created: CreatedUser[] = [];
    for (let i = 0; i < 5; i++) created.push(await createUser('match-page'));
    return created.map((user, i) => idOf(user, `paging user ${i + 1}`));
  });
  const pagePrefix = `${target.runId}-match-page-`;

  check(
    {
      id: 'MATCH-12',
      severity: 'must',
      requirement: PAGING,
      title: `GET /Users?filter=userName sw "<this file's prefix>"&startIndex=1,3,5&count=${PAGE_SIZE} over 5 users: each page echoes its 1-based startIndex, holds at most ${PAGE_SIZE} users, itemsPerPage counts them, totalResults is 5, and the pages together hold each user once`,
    },
    async () => {
      const expected = await pageUsers();
      const seen: string[] = [];
      let startIndex = 1;
      for (let page = 1; seen.length < expected.length; page++) {
        if (page > expected.length) fail(`after ${page - 1} pages only ${seen.length} of ${expected.length} users were returned`);
        const res = await scim.get(`/Users?${filterQuery(compare('userName', 'sw', pagePrefix))}&startIndex=${startIndex}&count=${PAGE_SIZE}`);
        if (page === 1) {
          applicableOnlyIf(
            res.status !== 400,
            'the endpoint answered 400 to the "sw" operator (Entra itself only sends eq and and); paging over this file\'s users alone needs it. MATCH-13 checks paging over all users',
          );
        }
        const list = expectListResponse(res);
        expectEqual(list.totalResults, expected.length, `totalResults of the page at startIndex ${startIndex} (the users whose userName starts with the prefix)`, res);
        expectEqual(list.startIndex, startIndex, 'startIndex of the page (the 1-based index that was asked for)', res);
        expectThat(list.Resources.length <= PAGE_SIZE, `count=${PAGE_SIZE} asks for at most ${PAGE_SIZE} users, got ${list.Resources.length}`, res);
        expectEqual(list.itemsPerPage, list.Resources.length, 'itemsPerPage (the number of Resources on the page)', res);
        expectThat(list.Resources.length > 0, `the page at startIndex ${startIndex} is empty although only ${seen.length} of ${list.totalResults} users were returned before it: pages skip users (is startIndex read as a 0-based offset?)`, res);
        for (const resource of list.Resources) {
          const id = String(resource.id);
          expectThat(!seen.includes(id), `user ${id} appears again on the page at startIndex ${startIndex}: pages overlap (is startIndex read as 0-based?)`, res);
          expectThat(expected.includes(id), `user ${id} on the page at startIndex ${startIndex} is not one of this file's users with the prefix`, res);
          seen.push(id);
        }
        startIndex += list.Resources.length;
      }
    },
  );

  check(
    {
      id: 'MATCH-13',
      severity: 'must',
      requirement: VALIDATOR_PAGING,
      title: 'GET /Users?startIndex=1&count=5 and GET /Users?startIndex=6&count=5 (no filter) answer ListResponses with startIndex 1 and 6, at most 5 users each and itemsPerPage equal to their number',
    },
    async () => {
      const { id, twinId, bystanderId } = await users();
      const ours = [id, twinId, bystanderId, ...(await pageUsers())];
      for (const page of [0, 1]) {
        const startIndex = page * 5 + 1;
        const res = await scim.get(`/Users?startIndex=${startIndex}&count=5`);
        const list = expectListResponse(res);
        expectEqual(list.startIndex, startIndex, `startIndex of page ${page + 1} (page * 5 + 1)`, res);
        expectThat(list.Resources.length <= 5, `count=5 asks for at most 5 users, got ${list.Resources.length}`, res);
        expectEqual(list.itemsPerPage, list.Resources.length, `itemsPerPage of page ${page + 1} (the number of Resources on it)`, res);
        // This file's users exist, so both pages have users (no overlap check here: on a shared tenant
        // other users come and go between the two requests; MATCH-12 checks that on a stable set).
        expectThat(list.totalResults >= ours.length, `totalResults is ${list.totalResults}, but at least the ${ours.length} users this step created exist`, res);
        expectThat(list.Resources.length > 0, `page ${page + 1} (startIndex ${startIndex}) is empty although totalResults is ${list.totalResults}`, res);
      }
    },
  );

  check(
    {
      id: 'MATCH-14',
      severity: 'should',
      requirement: COUNT_ZERO,
      title: 'GET /Users?filter=userName eq "<userName>"&count=0 answers 200 with totalResults 1 and no user in Resources',
    },
    async () => {
      const { seed } = await users();
      const res = await scim.get(`${lookupPath('Users', 'userName', seed.userName)}&count=0`);
      expectStatus(res, 200);
      const body = expectJsonObject(res);
      expectEqual(body.totalResults, 1, 'totalResults (the count of matches, whatever count asks to return)', res);
      const resources = body.Resources;
      expectThat(
        resources === undefined || resources === null || (Array.isArray(resources) && resources.length === 0),
        `expected no Resources with count=0, got ${Array.isArray(resources) ? `${resources.length} resources` : JSON.stringify(resources)}`,
        res,
      );
    },
  );

  check(
    {
      id: 'MATCH-15',
      severity: 'must',
      requirement: ATTRIBUTES,
      title: 'GET /Users?filter=userName eq "<userName>"&attributes=userName answers the user with id and userName only: no emails, name, externalId or active',
    },
    async () => {
      const { id, seed } = await users();
      const res = await scim.get(`${lookupPath('Users', 'userName', seed.userName)}&attributes=userName`);
      const found = expectOnlyResource(res, id, 'user with that userName');
      expectEqual(String(found.userName).toLowerCase(), seed.userName.toLowerCase(), 'the userName (requested; compared without case)', res);
      const extra = present(found, ['emails', 'name', 'externalId', 'active', ENTERPRISE]);
      expectThat(extra.length === 0, `attributes=userName returned attributes that were not asked for: ${extra.join(', ')}`, res);
    },
  );

  check(
    {
      id: 'MATCH-16',
      severity: 'must',
      requirement: EXCLUDED,
      title: 'GET /Users?filter=userName eq "<userName>"&excludedAttributes=emails answers the user without emails, but with id, userName and name',
    },
    async () => {
      const { id, seed } = await users();
      const res = await scim.get(`${lookupPath('Users', 'userName', seed.userName)}&excludedAttributes=emails`);
      const found = expectOnlyResource(res, id, 'user with that userName');
      expectThat(found.emails === undefined, `excludedAttributes=emails still returned emails: ${JSON.stringify(found.emails)}`, res);
      expectThat(found.userName !== undefined && found.name !== undefined, 'excludedAttributes=emails must leave the other default attributes (userName, name) in place, but they are missing', res);
    },
  );

  /** Two filters no server can evaluate: a comparison without a value, and an operator that does not exist. */
  const invalidFilters = once(async () => {
    await users();
    const noValue = await scim.get(`/Users?${filterQuery('userName eq')}`);
    const noOperator = await scim.get(`/Users?${filterQuery('userName zz "x"')}`);
    return [noValue, noOperator];
  });

  check(
    {
      id: 'MATCH-17',
      severity: 'must',
      requirement: INVALID_FILTER,
      title: 'GET /Users?filter=userName eq (no value) and GET /Users?filter=userName zz "x" (no such operator) each answer 400 with a SCIM Error body whose status is "400", not a list of users',
    },
    async () => {
      for (const res of await invalidFilters()) expectScimError(res, 400);
    },
  );

  check(
    {
      id: 'MATCH-18',
      severity: 'should',
      requirement: INVALID_FILTER_TYPE,
      title: 'Those two invalid filters are answered with scimType "invalidFilter"',
    },
    async () => {
      for (const res of await invalidFilters()) expectScimError(res, 400, 'invalidFilter');
    },
  );

  check(
    {
      id: 'MATCH-19',
      // Entra's manager reference check; Okta sends no manager unless mapped.
      profiles: ['entra', 'entra-2020'],
      severity: 'should',
      requirement: LEGACY_MANAGER,
      title: 'GET /Users?filter=id eq "<id>" and manager eq "<managerId>"&attributes=id finds the user when that is its manager (id only) and nobody when it is not',
    },
    async () => {
      requireMapped(`${ENTERPRISE}:manager`);
      const { id: managerId, twinId } = await users();
      const report = await createUser('match-report', (s) => ({ ...s, manager: managerId }));
      // Entra's bare-string manager is CREATE-08's concern: when it is refused, the RFC's complex form stands in.
      const complex = report.id ? undefined : await scim.post('/Users', withComplexManager(client.createUserBody(entra.userSeed('match-report-complex')), managerId));
      const reportId = requires(
        report.id ?? createdId(complex),
        `POST /Users with the enterprise manager "${managerId}" answered ${report.res.status} as Entra sends it (a bare id) and ${complex?.status} as {"value": "${managerId}"}, without an id`,
      );
      const query = (manager: string) => `/Users?${filterQuery(`${eq('id', reportId)} and ${eq('manager', manager)}`)}&attributes=id`;

      const res = await scim.get(query(managerId));
      const found = expectOnlyResource(res, reportId, 'user with that id and manager');
      const extra = present(found, ['userName', 'emails', 'name', 'externalId']);
      expectThat(extra.length === 0, `attributes=id returned attributes that were not asked for: ${extra.join(', ')}`, res);

      const other = await scim.get(query(twinId));
      expectEmptyListResponse(other);
    },
  );

  // ---- Varied users and malformed queries (MATCH-20..24) --------------------------------------
  // A user without emails next to the target: Entra skips null source attributes, so a directory
  // user without mail arrives with no "emails" at all, and a server whose email filter reads every
  // user's emails as an object fails on it (scimmy: "Cannot convert undefined or null to object").
  const noEmailUser = once(async () => {
    const user = await sceneryUser('match-no-email', entra.withoutEmails);
    return { id: user.id, status: user.res.status, sentEmails: user.body.emails !== undefined };
  });

  /** Skips the check when no user without emails can exist here (the server requires emails, declared or not). */
  async function withUserWithoutEmails(): Promise<void> {
    const { id, status, sentEmails } = await noEmailUser();
    applicableOnlyIf(!sentEmails, 'the server marks emails required (its /Schemas), so the user "without emails" was created with one');
    applicableOnlyIf(id, `the server refuses a user without emails (POST /Users answered ${status}; CREATE-18 reports it), so no such user can be present`);
  }

  check(
    {
      id: 'MATCH-20',
      severity: 'must',
      requirement: `${UNPARSABLE_FILTER}; ${INVALID_FILTER_TYPE}`,
      title: 'GET /Users?filter=bogus (one word, no operator: unparsable) answers 400 with a SCIM Error whose scimType is "invalidFilter", not 500 and not a list of users',
    },
    async () => {
      await users();
      const res = await scim.get(`/Users?${filterQuery('bogus')}`);
      expectScimError(res, 400, 'invalidFilter');
    },
  );

  check(
    {
      id: 'MATCH-21',
      severity: 'must',
      requirement: `${UNIQUENESS_FILTERABLE}; Entra: null source attributes are skipped, so a directory user without mail is created without "emails" (wire-reference.md §3)`,
      title: 'With a user without any emails present, GET /Users?filter=emails[type eq "work"].value eq "<work email>" answers 200 with exactly the user who has that work email',
    },
    async () => {
      requireMapped('emails[type eq "work"].value');
      const { id, seed } = await users();
      await withUserWithoutEmails();
      const res = await scim.get(`/Users?${filterQuery(eq('emails[type eq "work"].value', seed.email))}`);
      expectOnlyResource(res, id, 'user with that work email (a user without emails exists beside it)');
    },
  );

  check(
    {
      id: 'MATCH-22',
      // RFC 7644 Table 9 lets a server decline "the specified attribute and filter comparison combination" (400 invalidFilter).
      severity: 'should',
      requirement: MULTI_VALUED_FILTER,
      title:
        'GET /Users?filter=emails.value eq "<work email>" (a multi-valued attribute without a value path), with a user without emails present, finds the user with that email (and the user whose "other" email it is, where the server allowed it)',
    },
    async () => {
      requireMapped('emails[type eq "work"].value');
      const { id, seed } = await users();
      await withUserWithoutEmails();
      // MATCH-09's user whose "other" email is the target's work email matches emails.value too.
      const other = await otherEmailHolder();
      const otherId = other.status < 300 ? (other.json as { id?: unknown } | undefined)?.id : undefined;
      const expected = [id, ...(typeof otherId === 'string' ? [otherId] : [])].sort();
      const res = await scim.get(`/Users?${filterQuery(eq('emails.value', seed.email))}`);
      const list = expectListResponse(res);
      expectEqual(list.Resources.map((r) => String(r.id)).sort(), expected, `the ids of the users with an email "${seed.email}" (of any type)`, res);
      expectEqual(list.totalResults, expected.length, 'totalResults', res);
    },
  );

  /** Whether a resource names the core User schema in `schemas`. */
  const namesUserSchema = (resource: Record<string, unknown>) =>
    Array.isArray(resource.schemas) && resource.schemas.some((s) => String(s).toLowerCase() === entra.SCHEMA.user.toLowerCase());

  check(
    {
      id: 'MATCH-23',
      severity: 'must',
      requirement: ALWAYS_RETURNED,
      title:
        'GET /Users/{id}?attributes=userName and GET /Users?filter=userName eq "<userName>"&attributes=userName answer the user with "schemas" (naming the core User schema) and "id" still in it',
    },
    async () => {
      const { id, seed } = await users();
      const byId = await scim.get(`/Users/${encodeURIComponent(id)}?attributes=userName`);
      expectStatus(byId, 200, 'GET /Users/{id}?attributes=userName');
      const user = expectJsonObject(byId);
      expectEqual(user.id, id, 'the id of GET /Users/{id}?attributes=userName (returned "always")', byId);
      expectThat(namesUserSchema(user), `expected "schemas" to name ${entra.SCHEMA.user} with attributes=userName, got ${JSON.stringify(user.schemas) ?? 'no "schemas"'}`, byId);
      const listed = await scim.get(`${lookupPath('Users', 'userName', seed.userName)}&attributes=userName`);
      const found = expectOnlyResource(listed, id, 'user with that userName');
      expectThat(namesUserSchema(found), `expected "schemas" in the ListResponse element to name ${entra.SCHEMA.user} with attributes=userName, got ${JSON.stringify(found.schemas) ?? 'no "schemas"'}`, listed);
    },
  );

  check(
    {
      id: 'MATCH-24',
      severity: 'should',
      requirement: NOT_FOUND_SCIMTYPE,
      title: 'GET /Users/<random guid> answers 404 with a SCIM Error that carries no scimType, or none of the keywords RFC 7644 defines for 400 (such as "invalidValue")',
    },
    async () => {
      const res = await scim.get(`/Users/${randomGuid()}`);
      const body = expectScimError(res, 404);
      const scimType = body.scimType;
      expectThat(
        scimType === undefined || scimType === null || scimType === '' || !BAD_REQUEST_SCIM_TYPES.includes(String(scimType)),
        `a 404 carries scimType ${JSON.stringify(scimType)}, a keyword RFC 7644 Table 9 defines for 400 Bad Request: it tells the client its request was malformed when the resource simply does not exist; leave scimType out`,
        res,
      );
    },
  );
});
