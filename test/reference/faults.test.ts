// Every fault switch changes exactly the behaviour it names: the same observation is made on a
// clean server and on one with the fault on, and the two must differ as the catalogue says.
// (Whether the conformance suite catches each fault is the detection matrix's job: npm run matrix.)
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, Faults, type FaultName } from '../../reference/faults.ts';
import type { ReferenceServer } from '../../reference/server.ts';
import {
  ADSCIM_GROUP,
  ENTERPRISE,
  GROUP_SCHEMA,
  PATCH_OP,
  TOKEN,
  USER_SCHEMA,
  createGroup,
  createUser,
  entraUser,
  filterQuery,
  patchOp,
  scim,
  start,
  type Json,
} from './helpers.ts';

interface Scenario {
  observe(server: ReferenceServer): Promise<unknown>;
  clean: unknown;
  broken: unknown;
}

/** A GET whose request target goes on the wire byte for byte; the body is kept as text (it may be HTML). */
function rawGet(server: ReferenceServer, pathAndQuery: string): Promise<{ status: number; type: string; body: Json }> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'GET', path: url.pathname + pathAndQuery, headers: { Authorization: `Bearer ${TOKEN}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
          resolve({ status: res.statusCode ?? 0, type, body: type.endsWith('json') ? JSON.parse(text) : text });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const mediaType = (headers: Headers) => headers.get('content-type')?.split(';')[0];
const lookup = (s: ReferenceServer, filter: string) => scim(s, 'GET', `/Users${filterQuery(filter)}`);
const totalOf = async (s: ReferenceServer, filter: string) => {
  const answer = await lookup(s, filter);
  return [answer.status, answer.body?.totalResults];
};
const getUser = async (s: ReferenceServer, id: string) => (await scim(s, 'GET', `/Users/${id}`)).body;
const patchUser = (s: ReferenceServer, id: string, ...operations: Json[]) => scim(s, 'PATCH', `/Users/${id}`, patchOp(...operations));
const memberIds = async (s: ReferenceServer, groupId: string) =>
  ((await scim(s, 'GET', `/Groups/${groupId}`)).body.members ?? []).map((m: Json) => m.value);
/** The statuses of `n` requests sent one after another (the load faults count requests). */
async function sequence(s: ReferenceServer, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await scim(s, 'GET', '/ServiceProviderConfig')).status);
  return statuses;
}

/** A group holding the given users (created on the spot). */
async function groupWith(s: ReferenceServer, name: string, ...userNames: string[]) {
  const users = [];
  for (const userName of userNames) users.push((await createUser(s, userName)).id as string);
  const group = await createGroup(s, name, users);
  return { groupId: group.id as string, users };
}

const SCENARIOS: Record<FaultName, Scenario> = {
  // ---- discovery --------------------------------------------------------------------------
  'spc-missing': {
    observe: async (s) => (await scim(s, 'GET', '/ServiceProviderConfig')).status,
    clean: 200,
    broken: 404,
  },
  'spc-limits-missing': {
    observe: async (s) => {
      const { bulk, filter } = (await scim(s, 'GET', '/ServiceProviderConfig')).body;
      return [bulk.maxOperations, bulk.maxPayloadSize, filter.maxResults];
    },
    clean: [0, 0, 200],
    broken: [undefined, undefined, undefined],
  },
  'spc-patch-unsupported': {
    observe: async (s) => (await scim(s, 'GET', '/ServiceProviderConfig')).body.patch,
    clean: { supported: true },
    broken: { supported: false },
  },
  'resource-type-plural-names': {
    async observe(s) {
      const names = (await scim(s, 'GET', '/ResourceTypes')).body.Resources.map((t: Json) => t.name);
      return [names, (await scim(s, 'GET', '/ResourceTypes/User')).status];
    },
    clean: [['User', 'Group'], 200],
    broken: [['Users', 'Groups'], 404],
  },
  'discovery-bare-arrays': {
    observe: async (s) => [Array.isArray((await scim(s, 'GET', '/Schemas')).body), Array.isArray((await scim(s, 'GET', '/ResourceTypes')).body)],
    clean: [false, false],
    broken: [true, true],
  },
  'schema-username-case-exact': {
    async observe(s) {
      const schema = (await scim(s, 'GET', `/Schemas/${USER_SCHEMA}`)).body;
      return schema.attributes.find((a: Json) => a.name === 'userName').caseExact;
    },
    clean: false,
    broken: true,
  },
  'enterprise-schema-not-served': {
    observe: async (s) => (await scim(s, 'GET', '/Schemas')).body.Resources.some((schema: Json) => schema.id === ENTERPRISE),
    clean: true,
    broken: false,
  },
  'schema-by-urn-unsupported': {
    observe: async (s) => [(await scim(s, 'GET', `/Schemas/${USER_SCHEMA}`)).status, (await scim(s, 'GET', '/Schemas')).status],
    clean: [200, 200],
    broken: [404, 200],
  },

  // ---- transport ----------------------------------------------------------------------------
  'auth-not-enforced': {
    async observe(s) {
      const none = await scim(s, 'GET', '/Users', undefined, { headers: {}, replaceHeaders: true });
      const wrong = await scim(s, 'GET', '/Users', undefined, { headers: { Authorization: 'Bearer wrong' } });
      return [none.status, wrong.status];
    },
    clean: [401, 401],
    broken: [200, 200],
  },
  'auth-403': {
    async observe(s) {
      const none = await scim(s, 'GET', '/Users', undefined, { headers: {}, replaceHeaders: true });
      const wrong = await scim(s, 'GET', '/Users', undefined, { headers: { Authorization: 'Bearer wrong' } });
      return [none.status, wrong.status, wrong.body?.status];
    },
    clean: [401, 401, '401'],
    broken: [403, 403, '403'],
  },
  'auth-html-401': {
    async observe(s) {
      const wrong = await scim(s, 'GET', '/Users', undefined, { headers: { Authorization: 'Bearer wrong' } });
      return [wrong.status, mediaType(wrong.headers)];
    },
    clean: [401, 'application/scim+json'],
    broken: [401, 'text/html'],
  },
  'content-type-json': {
    async observe(s) {
      const ok = await scim(s, 'GET', '/Users');
      const error = await scim(s, 'GET', '/Users/unknown');
      return [ok.headers.get('content-type'), error.headers.get('content-type')];
    },
    clean: ['application/scim+json; charset=utf-8', 'application/scim+json; charset=utf-8'],
    broken: ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
  },
  'filter-plus-not-decoded': {
    async observe(s) {
      await createUser(s, 'plus');
      const plus = await rawGet(s, '/Users?filter=userName+eq+%22plus%22');
      const percent = await rawGet(s, '/Users?filter=userName%20eq%20%22plus%22');
      return [plus.status, percent.body.totalResults];
    },
    clean: [200, 1],
    broken: [400, 1],
  },
  'filter-only-plus-encoding': {
    async observe(s) {
      await createUser(s, 'percent');
      const percent = await rawGet(s, '/Users?filter=userName%20eq%20%22percent%22');
      const plus = await rawGet(s, '/Users?filter=userName+eq+%22percent%22');
      return [percent.status, plus.body.totalResults];
    },
    clean: [200, 1],
    broken: [400, 1],
  },
  'filter-raw-quotes-rejected': {
    async observe(s) {
      await createUser(s, 'quoted');
      const raw = await rawGet(s, '/Users?filter=userName+eq+"quoted"');
      return [raw.status, raw.type, (await rawGet(s, '/Users?filter=userName+eq+%22quoted%22')).status];
    },
    clean: [200, 'application/scim+json', 200],
    broken: [400, 'text/html', 200],
  },
  'error-status-number': {
    observe: async (s) => (await scim(s, 'GET', `/Users/${crypto.randomUUID()}`)).body.status,
    clean: '404',
    broken: 404,
  },
  'unknown-id-500': {
    async observe(s) {
      const answer = await scim(s, 'GET', `/Users/${crypto.randomUUID()}`);
      return [answer.status, answer.body.status];
    },
    clean: [404, '404'],
    broken: [500, '500'],
  },

  // ---- lists and filters --------------------------------------------------------------------
  'empty-filter-404': {
    observe: async (s) => (await lookup(s, 'userName eq "nobody-at-all"')).status,
    clean: 200,
    broken: 404,
  },
  'filter-ignored': {
    async observe(s) {
      await createUser(s, 'wanted');
      await createUser(s, 'unwanted');
      return (await lookup(s, 'userName eq "wanted"')).body.totalResults;
    },
    clean: 1,
    broken: 2,
  },
  'lowercase-resources': {
    async observe(s) {
      const users = (await scim(s, 'GET', '/Users')).body;
      const schemas = (await scim(s, 'GET', '/Schemas')).body;
      return [Object.keys(users).filter((k) => /^resources$/i.test(k)), Object.keys(schemas).filter((k) => /^resources$/i.test(k))];
    },
    clean: [['Resources'], ['Resources']],
    broken: [['resources'], ['resources']],
  },
  'unfiltered-list-refused': {
    async observe(s) {
      const all = await scim(s, 'GET', '/Users?startIndex=1&count=5');
      return [all.status, all.body.scimType, (await lookup(s, 'userName eq "x"')).status];
    },
    clean: [200, undefined, 200],
    broken: [400, 'tooMany', 200],
  },
  'username-case-sensitive': {
    async observe(s) {
      await createUser(s, 'Case.Sensitive');
      return (await lookup(s, 'userName eq "case.sensitive"')).body.totalResults;
    },
    clean: 1,
    broken: 0,
  },
  'filter-attribute-names-case-sensitive': {
    async observe(s) {
      await createUser(s, 'names');
      return [await totalOf(s, 'USERNAME eq "names"'), await totalOf(s, 'userName eq "names"')];
    },
    clean: [[200, 1], [200, 1]],
    broken: [[400, undefined], [200, 1]],
  },
  'filter-eq-as-prefix': {
    async observe(s) {
      await createUser(s, 'prefix');
      await createUser(s, 'prefix.twin');
      return (await lookup(s, 'userName eq "prefix"')).body.totalResults;
    },
    clean: 1,
    broken: 2,
  },
  'externalid-not-filterable': {
    async observe(s) {
      await createUser(s, 'external'); // externalId "ext-external"
      return [await totalOf(s, 'externalId eq "ext-external"'), await totalOf(s, 'userName eq "external"')];
    },
    clean: [[200, 1], [200, 1]],
    broken: [[400, undefined], [200, 1]],
  },
  'externalid-case-insensitive': {
    async observe(s) {
      await createUser(s, 'exact');
      return (await lookup(s, 'externalId eq "EXT-EXACT"')).body.totalResults;
    },
    clean: 0,
    broken: 1,
  },
  'filter-value-path-unsupported': {
    async observe(s) {
      await createUser(s, 'valuepath');
      return totalOf(s, 'emails[type eq "work"].value eq "valuepath@testuser.com"');
    },
    clean: [200, 1],
    broken: [400, undefined],
  },
  'filter-and-first-only': {
    async observe(s) {
      await createUser(s, 'andy');
      return (await lookup(s, 'userName eq "andy" and externalId eq "someone-else"')).body.totalResults;
    },
    clean: 0,
    broken: 1,
  },
  'invalid-filter-ignored': {
    async observe(s) {
      await createUser(s, 'anyone');
      return (await lookup(s, 'userName eq')).status;
    },
    clean: 400,
    broken: 200,
  },
  'invalid-filter-500': {
    observe: async (s) => (await lookup(s, 'userName zz "x"')).status,
    clean: 400,
    broken: 500,
  },
  'invalid-filter-scimtype': {
    async observe(s) {
      const answer = await lookup(s, 'userName eq');
      return [answer.status, answer.body.scimType];
    },
    clean: [400, 'invalidFilter'],
    broken: [400, 'invalidSyntax'],
  },
  'list-omits-extension': {
    async observe(s) {
      const user = await createUser(s, 'extended');
      const listed = (await lookup(s, 'userName eq "extended"')).body.Resources[0];
      return [ENTERPRISE in listed, listed.schemas.includes(ENTERPRISE), ENTERPRISE in (await getUser(s, user.id))];
    },
    clean: [true, true, true],
    broken: [false, false, true],
  },
  'paging-ignored': {
    async observe(s) {
      s.seedUsers(5);
      const { startIndex, itemsPerPage, totalResults } = (await scim(s, 'GET', '/Users?startIndex=2&count=2')).body;
      return [startIndex, itemsPerPage, totalResults];
    },
    clean: [2, 2, 5],
    broken: [1, 5, 5],
  },
  'paging-zero-based': {
    async observe(s) {
      s.seedUsers(5);
      const page = (await scim(s, 'GET', '/Users?startIndex=1&count=2&sortBy=userName')).body;
      return [page.startIndex, page.Resources.map((u: Json) => u.userName)];
    },
    clean: [1, ['seed-user-00001', 'seed-user-00002']],
    broken: [1, ['seed-user-00002', 'seed-user-00003']],
  },
  'paging-wrong-totals': {
    async observe(s) {
      s.seedUsers(5);
      const { itemsPerPage, totalResults } = (await scim(s, 'GET', '/Users?startIndex=1&count=2')).body;
      return [itemsPerPage, totalResults];
    },
    clean: [2, 5],
    broken: [2, 2],
  },
  'attributes-ignored': {
    async observe(s) {
      const user = await createUser(s, 'projected');
      return Object.keys((await scim(s, 'GET', `/Users/${user.id}?attributes=userName`)).body).sort();
    },
    clean: ['id', 'schemas', 'userName'],
    broken: expect.arrayContaining(['emails', 'name', 'meta']),
  },
  'excluded-attributes-ignored': {
    async observe(s) {
      const user = await createUser(s, 'excluded');
      return 'emails' in (await scim(s, 'GET', `/Users/${user.id}?excludedAttributes=emails`)).body;
    },
    clean: false,
    broken: true,
  },

  // ---- create and representation ------------------------------------------------------------
  'create-200': {
    observe: async (s) => (await scim(s, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'created' })).status,
    clean: 201,
    broken: 200,
  },
  'no-location': {
    observe: async (s) => (await scim(s, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'located' })).headers.has('location'),
    clean: true,
    broken: false,
  },
  'location-wrong-base': {
    async observe(s) {
      const answer = await scim(s, 'POST', '/Users', entraUser('proxied'));
      const location = answer.headers.get('location') ?? '';
      return [location.startsWith(`${s.baseUrl}/Users/`), location === answer.body.meta.location];
    },
    clean: [true, true],
    broken: [false, true],
  },
  'create-without-id': {
    async observe(s) {
      const answer = await scim(s, 'POST', '/Users', entraUser('anonymous'));
      return [answer.status, 'id' in answer.body, (await lookup(s, 'userName eq "anonymous"')).body.totalResults];
    },
    clean: [201, true, 1],
    broken: [201, false, 1],
  },
  'create-minimal-body': {
    async observe(s) {
      const answer = await scim(s, 'POST', '/Users', entraUser('minimal'));
      return [Object.keys(answer.body).sort(), 'emails' in (await getUser(s, answer.body.id))];
    },
    clean: [expect.arrayContaining(['emails', 'name', 'externalId', ENTERPRISE]), true],
    broken: [['id', 'meta', 'schemas', 'userName'], true],
  },
  'no-schemas': {
    observe: async (s) => 'schemas' in (await getUser(s, (await createUser(s, 'schemaless')).id)),
    clean: true,
    broken: false,
  },
  'no-meta': {
    observe: async (s) => 'meta' in (await getUser(s, (await createUser(s, 'metaless')).id)),
    clean: true,
    broken: false,
  },
  'extension-urn-not-in-schemas': {
    async observe(s) {
      const user = await getUser(s, (await createUser(s, 'unlisted')).id);
      return [user.schemas, ENTERPRISE in user];
    },
    clean: [[USER_SCHEMA, ENTERPRISE], true],
    broken: [[USER_SCHEMA], true],
  },
  'name-dropped': {
    observe: async (s) => (await getUser(s, (await createUser(s, 'nameless')).id)).name,
    clean: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    broken: undefined,
  },
  'username-lowercased': {
    observe: async (s) => (await getUser(s, (await createUser(s, 'Mixed.Case')).id)).userName,
    clean: 'Mixed.Case',
    broken: 'mixed.case',
  },
  'enterprise-extension-dropped': {
    observe: async (s) => (await getUser(s, (await createUser(s, 'plain')).id))[ENTERPRISE],
    clean: { employeeNumber: '1001', department: 'Sales', manager: { value: '123456' } },
    broken: undefined,
  },
  'manager-stored-as-string': {
    observe: async (s) => (await getUser(s, (await createUser(s, 'managed')).id))[ENTERPRISE].manager,
    clean: { value: '123456' },
    broken: '123456',
  },
  'password-returned': {
    async observe(s) {
      const answer = await scim(s, 'POST', '/Users', entraUser('secret', { password: 'Pw-123-secret!' }));
      return [answer.body.password, (await getUser(s, answer.body.id)).password];
    },
    clean: [undefined, undefined],
    broken: ['Pw-123-secret!', 'Pw-123-secret!'],
  },
  'username-not-required': {
    async observe(s) {
      const { userName: _dropped, ...body } = entraUser('no-username');
      return (await scim(s, 'POST', '/Users', body)).status;
    },
    clean: 400,
    broken: 201,
  },
  'duplicates-accepted': {
    async observe(s) {
      await createUser(s, 'twice');
      await createGroup(s, 'twice');
      const user = await scim(s, 'POST', '/Users', entraUser('twice'));
      const group = await scim(s, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'twice' });
      return [user.status, group.status];
    },
    clean: [409, 409],
    broken: [201, 201],
  },
  'username-unique-case-sensitive': {
    async observe(s) {
      await createUser(s, 'Shouty');
      const upper = await scim(s, 'POST', '/Users', entraUser('SHOUTY'));
      const same = await scim(s, 'POST', '/Users', entraUser('Shouty'));
      return [upper.status, same.status];
    },
    clean: [409, 409],
    broken: [201, 409],
  },
  'conflict-without-scimtype': {
    async observe(s) {
      await createUser(s, 'conflicted');
      const answer = await scim(s, 'POST', '/Users', entraUser('conflicted'));
      return [answer.status, answer.body.scimType];
    },
    clean: [409, 'uniqueness'],
    broken: [409, undefined],
  },
  'unknown-schema-uri-rejected': {
    async observe(s) {
      const entraGroup = await scim(s, 'POST', '/Groups', { schemas: [GROUP_SCHEMA, ADSCIM_GROUP], displayName: 'adscim' });
      const plainGroup = await scim(s, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'plain' });
      return [entraGroup.status, plainGroup.status];
    },
    clean: [201, 201],
    broken: [400, 201],
  },

  // ---- PATCH -------------------------------------------------------------------------------
  'patch-op-case-sensitive': {
    async observe(s) {
      const user = await createUser(s, 'patched');
      const capitalised = await patchUser(s, user.id, { op: 'Replace', path: 'active', value: 'False' });
      const lowercase = await patchUser(s, user.id, { op: 'replace', path: 'active', value: false });
      return [capitalised.status, capitalised.body.scimType, lowercase.status];
    },
    clean: [200, undefined, 200],
    broken: [400, 'invalidSyntax', 200],
  },
  'patch-200-stale-body': {
    async observe(s) {
      const user = await createUser(s, 'stale');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: 'nickName', value: 'Fresh' });
      return [answer.status, answer.body.nickName, (await getUser(s, user.id)).nickName];
    },
    clean: [200, 'Fresh', 'Fresh'],
    broken: [200, undefined, 'Fresh'],
  },
  'patch-sub-attribute-replace-clears-siblings': {
    async observe(s) {
      const user = await createUser(s, 'siblings');
      await patchUser(s, user.id, { op: 'Replace', path: 'name.givenName', value: 'New' });
      return (await getUser(s, user.id)).name;
    },
    clean: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'New' },
    broken: { givenName: 'New' },
  },
  'patch-filter-replace-appends': {
    async observe(s) {
      const user = await createUser(s, 'appended');
      await patchUser(s, user.id, { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' });
      return (await getUser(s, user.id)).emails.map((e: Json) => e.value);
    },
    clean: ['new@example.com'],
    broken: ['appended@testuser.com', 'new@example.com'],
  },
  'patch-filter-path-ignored': {
    async observe(s) {
      const user = await createUser(s, 'unfiltered');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' });
      return [answer.status, (await getUser(s, user.id)).emails.map((e: Json) => e.value)];
    },
    clean: [200, ['new@example.com']],
    broken: [200, ['unfiltered@testuser.com']],
  },
  'patch-attribute-names-case-sensitive': {
    async observe(s) {
      const user = await createUser(s, 'spelled');
      const capital = await patchUser(s, user.id, { op: 'Replace', path: 'emails[type eq "work"].Value', value: 'a@example.com' });
      const exact = await patchUser(s, user.id, { op: 'Replace', path: 'emails[type eq "work"].value', value: 'b@example.com' });
      return [capital.status, exact.status];
    },
    clean: [200, 200],
    broken: [400, 200],
  },
  'patch-username-ignored': {
    async observe(s) {
      const user = await createUser(s, 'before');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: 'userName', value: 'after' });
      return [answer.status, (await getUser(s, user.id)).userName];
    },
    clean: [200, 'after'],
    broken: [200, 'before'],
  },
  'patch-add-singular-rejected': {
    async observe(s) {
      const user = await createUser(s, 'singular');
      const add = await patchUser(s, user.id, { op: 'Add', path: 'nickName', value: 'Babs' });
      const addToList = await patchUser(s, user.id, { op: 'Add', path: 'phoneNumbers', value: [{ type: 'work', value: '555' }] });
      return [add.status, addToList.status];
    },
    clean: [200, 200],
    broken: [400, 200],
  },
  'patch-filter-add-no-create': {
    async observe(s) {
      const user = await createUser(s, 'homeless');
      return (await patchUser(s, user.id, { op: 'Add', path: 'addresses[type eq "work"].formatted', value: 'Columbus' })).status;
    },
    clean: 200,
    broken: 400,
  },
  'patch-filter-add-no-merge': {
    async observe(s) {
      const user = await createUser(s, 'merged');
      await patchUser(
        s,
        user.id,
        { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Columbus' },
        { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '43215' },
      );
      return (await getUser(s, user.id)).addresses;
    },
    clean: [{ type: 'work', locality: 'Columbus', postalCode: '43215' }],
    broken: [{ type: 'work', locality: 'Columbus' }, { type: 'work', postalCode: '43215' }],
  },
  'patch-urn-path-unsupported': {
    async observe(s) {
      const user = await createUser(s, 'qualified');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '42' });
      return [answer.status, (await getUser(s, user.id))[ENTERPRISE].employeeNumber];
    },
    clean: [200, '42'],
    broken: [400, '1001'],
  },
  'patch-add-keeps-existing-value': {
    async observe(s) {
      const user = await createUser(s, 'departed');
      const answer = await patchUser(s, user.id, { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Tech' });
      return [answer.status, (await getUser(s, user.id))[ENTERPRISE].department];
    },
    clean: [200, 'Tech'],
    broken: [200, 'Sales'],
  },
  'last-modified-frozen': {
    async observe(s) {
      const user = await createUser(s, 'timeless');
      await patchUser(s, user.id, { op: 'Replace', path: 'nickName', value: 'Later' });
      const { meta } = await getUser(s, user.id);
      return meta.lastModified === meta.created;
    },
    clean: false,
    broken: true,
  },
  'patch-unknown-op-ignored': {
    async observe(s) {
      const user = await createUser(s, 'merger');
      return (await patchUser(s, user.id, { op: 'Merge', path: 'nickName', value: 'Merged' })).status;
    },
    clean: 400,
    broken: 200,
  },
  'patch-schemas-not-required': {
    async observe(s) {
      const user = await createUser(s, 'schemaless-patch');
      return (await scim(s, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'add', path: 'nickName', value: 'Babs' }] })).status;
    },
    clean: 400,
    broken: 200,
  },
  'patch-empty-body-accepted': {
    async observe(s) {
      const user = await createUser(s, 'empty-patch');
      return (await scim(s, 'PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP] })).status;
    },
    clean: 400,
    broken: 200,
  },
  'search-unsupported': {
    observe: async (s) => (await scim(s, 'POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName pr' })).status,
    clean: 200,
    broken: 404,
  },
  'sort-ignored': {
    async observe(s) {
      for (const name of ['sort-b', 'sort-c', 'sort-a']) await createUser(s, name);
      const list = (await scim(s, 'GET', '/Users?sortBy=userName&sortOrder=ascending')).body;
      return (list.Resources as Json[]).map((u) => u.userName);
    },
    clean: ['sort-a', 'sort-b', 'sort-c'],
    broken: ['sort-b', 'sort-c', 'sort-a'],
  },
  'filter-operators-eq-only': {
    async observe(s) {
      await createUser(s, 'ops');
      return [(await lookup(s, 'userName sw "op"')).status, (await lookup(s, 'userName eq "ops"')).status];
    },
    clean: [200, 200],
    broken: [400, 200],
  },
  'put-resets-created': {
    async observe(s) {
      const user = await createUser(s, 'created');
      await new Promise((resolve) => setTimeout(resolve, 5));
      const put = (await scim(s, 'PUT', `/Users/${user.id}`, { schemas: user.schemas, userName: user.userName })).body;
      return (put.meta as Json).created === (user.meta as Json).created;
    },
    clean: true,
    broken: false,
  },
  'me-404': {
    observe: async (s) => (await scim(s, 'GET', '/Me')).status,
    clean: 501,
    broken: 404,
  },
  'custom-extension-dropped': {
    async observe(s) {
      const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User';
      const user = await createUser(s, 'custom', { schemas: [USER_SCHEMA, custom], [custom]: { costCenter: 'CC-7' } });
      return ((await getUser(s, user.id))[custom] as Json | undefined)?.costCenter;
    },
    clean: 'CC-7',
    broken: undefined,
  },
  'pathless-dotted-keys-unsupported': {
    async observe(s) {
      const user = await createUser(s, 'dotted');
      const answer = await patchUser(s, user.id, { op: 'replace', value: { 'name.familyName': 'Dotted' } });
      return [answer.status, ((await getUser(s, user.id)).name as Json).familyName];
    },
    clean: [200, 'Dotted'],
    broken: [400, 'familyName'],
  },
  'put-unsupported': {
    async observe(s) {
      const user = await createUser(s, 'put');
      return (await scim(s, 'PUT', `/Users/${user.id}`, { schemas: user.schemas, userName: user.userName, nickName: 'Put' })).status;
    },
    clean: 200,
    broken: 405,
  },
  'patch-pathless-rejected': {
    async observe(s) {
      const user = await createUser(s, 'okta-deactivate');
      const answer = await patchUser(s, user.id, { op: 'replace', value: { active: false } });
      return [answer.status, (await getUser(s, user.id)).active];
    },
    clean: [200, false],
    broken: [400, true],
  },
  'patch-pathless-id-rejected': {
    async observe(s) {
      const group = await createGroup(s, 'okta-restate');
      const answer = await scim(s, 'PATCH', `/Groups/${group.id}`, patchOp({ op: 'replace', value: { id: group.id, displayName: 'okta-restated' } }));
      return [answer.status, (await scim(s, 'GET', `/Groups/${group.id}`)).body.displayName];
    },
    clean: [200, 'okta-restated'],
    broken: [400, 'okta-restate'],
  },
  'put-merges': {
    async observe(s) {
      const user = await createUser(s, 'merge', { nickName: 'Kept' });
      await scim(s, 'PUT', `/Users/${user.id}`, { schemas: user.schemas, userName: user.userName });
      return (await getUser(s, user.id)).nickName;
    },
    clean: undefined,
    broken: 'Kept',
  },
  'patch-not-atomic': {
    async observe(s) {
      const user = await createUser(s, 'atomic');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: 'nickName', value: 'Half' }, { op: 'Merge', path: 'title', value: 'x' });
      return [answer.status, (await getUser(s, user.id)).nickName];
    },
    clean: [400, undefined],
    broken: [400, 'Half'],
  },

  // ---- deactivate and delete ----------------------------------------------------------------
  'active-string-rejected': {
    async observe(s) {
      const user = await createUser(s, 'stringly');
      const asString = await patchUser(s, user.id, { op: 'Replace', path: 'active', value: 'False' });
      const asBoolean = await patchUser(s, user.id, { op: 'Replace', path: 'active', value: false });
      return [asString.status, asBoolean.status];
    },
    clean: [200, 200],
    broken: [400, 200],
  },
  'active-string-stored': {
    async observe(s) {
      const user = await createUser(s, 'stored-string');
      await patchUser(s, user.id, { op: 'Replace', path: 'active', value: 'False' });
      return (await getUser(s, user.id)).active;
    },
    clean: false,
    broken: 'False',
  },
  'deactivate-ignored': {
    async observe(s) {
      const user = await createUser(s, 'stays-active');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: 'active', value: 'False' });
      return [answer.status, (await getUser(s, user.id)).active];
    },
    clean: [200, false],
    broken: [200, true],
  },
  'deactivate-deletes': {
    async observe(s) {
      const user = await createUser(s, 'deactivated');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: 'active', value: 'False' });
      return [answer.status, (await scim(s, 'GET', `/Users/${user.id}`)).status];
    },
    clean: [200, 200],
    broken: [200, 404],
  },
  'deactivate-hides-from-filter': {
    async observe(s) {
      const user = await createUser(s, 'hidden');
      await patchUser(s, user.id, { op: 'Replace', path: 'active', value: 'False' });
      return [(await lookup(s, 'userName eq "hidden"')).body.totalResults, (await scim(s, 'GET', `/Users/${user.id}`)).status];
    },
    clean: [1, 200],
    broken: [0, 200],
  },
  'deactivate-drops-group-membership': {
    async observe(s) {
      const { groupId, users } = await groupWith(s, 'keeps', 'member');
      await patchUser(s, users[0]!, { op: 'Replace', path: 'active', value: 'False' });
      return memberIds(s, groupId);
    },
    clean: [expect.any(String)],
    broken: [],
  },
  'delete-200': {
    async observe(s) {
      const user = await createUser(s, 'deleted');
      const answer = await scim(s, 'DELETE', `/Users/${user.id}`);
      return [answer.status, answer.text === '', (await scim(s, 'GET', `/Users/${user.id}`)).status];
    },
    clean: [204, true, 404],
    broken: [200, false, 404],
  },
  'soft-delete': {
    async observe(s) {
      const user = await createUser(s, 'lingering');
      const deleted = await scim(s, 'DELETE', `/Users/${user.id}`);
      return [deleted.status, (await scim(s, 'GET', `/Users/${user.id}`)).status];
    },
    clean: [204, 404],
    broken: [204, 200],
  },
  'deleted-still-listed': {
    async observe(s) {
      const user = await createUser(s, 'ghost');
      await scim(s, 'DELETE', `/Users/${user.id}`);
      return [(await scim(s, 'GET', `/Users/${user.id}`)).status, (await lookup(s, 'userName eq "ghost"')).body.totalResults];
    },
    clean: [404, 0],
    broken: [404, 1],
  },
  'delete-unknown-204': {
    async observe(s) {
      const user = await createUser(s, 'twice-deleted');
      const first = await scim(s, 'DELETE', `/Users/${user.id}`);
      const second = await scim(s, 'DELETE', `/Users/${user.id}`);
      return [first.status, second.status, (await scim(s, 'DELETE', `/Users/${crypto.randomUUID()}`)).status];
    },
    clean: [204, 404, 404],
    broken: [204, 204, 204],
  },
  'delete-keeps-memberships': {
    async observe(s) {
      const { groupId, users } = await groupWith(s, 'remembers', 'leaver');
      await scim(s, 'DELETE', `/Users/${users[0]}`);
      return (await memberIds(s, groupId)).length;
    },
    clean: 0,
    broken: 1,
  },

  // ---- load ----------------------------------------------------------------------------------
  'slow-responses': {
    async observe(s) {
      const started = performance.now();
      const answer = await scim(s, 'GET', '/ServiceProviderConfig');
      return [answer.status, performance.now() - started >= 250];
    },
    clean: [200, false],
    broken: [200, true],
  },
  'errors-under-load': {
    async observe(s) {
      const statuses = await sequence(s, 20);
      return [statuses.slice(0, 19).every((status) => status === 200), statuses[19]];
    },
    clean: [true, 200],
    broken: [true, 500],
  },
  'throttles-without-retry-after': {
    async observe(s) {
      await sequence(s, 24);
      const answer = await scim(s, 'GET', '/ServiceProviderConfig');
      return [answer.status, answer.headers.get('retry-after')];
    },
    clean: [200, null],
    broken: [429, null],
  },
  'drops-requests-under-load': {
    async observe(s) {
      await sequence(s, 49);
      const fiftieth = await fetch(`${s.baseUrl}/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(1000) }).then(
        (res) => res.status,
        () => 'no answer',
      );
      return [fiftieth, (await scim(s, 'GET', '/ServiceProviderConfig')).status];
    },
    clean: [200, 200],
    broken: ['no answer', 200],
  },

  // ---- groups ------------------------------------------------------------------------------
  'displayname-not-filterable': {
    async observe(s) {
      await createGroup(s, 'findable');
      const answer = await scim(s, 'GET', `/Groups${filterQuery('displayName eq "findable"')}`);
      return [answer.status, answer.body.totalResults];
    },
    clean: [200, 1],
    broken: [400, undefined],
  },
  'group-add-replaces-members': {
    async observe(s) {
      const { groupId, users } = await groupWith(s, 'growing', 'first');
      const second = (await createUser(s, 'second')).id;
      await scim(s, 'PATCH', `/Groups/${groupId}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: second }] }));
      const ids = await memberIds(s, groupId);
      return { first: ids.includes(users[0]), second: ids.includes(second) };
    },
    clean: { first: true, second: true },
    broken: { first: false, second: true },
  },
  'group-duplicate-member-add-fails': {
    async observe(s) {
      const { groupId, users } = await groupWith(s, 'again', 'repeat');
      const answer = await scim(s, 'PATCH', `/Groups/${groupId}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: users[0] }] }));
      return [answer.status, (await memberIds(s, groupId)).length];
    },
    clean: [200, 1],
    broken: [409, 1],
  },
  'group-remove-by-value-removes-all': {
    async observe(s) {
      const { groupId, users } = await groupWith(s, 'shrinking', 'leaving', 'staying');
      await scim(s, 'PATCH', `/Groups/${groupId}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: users[0] }] }));
      return (await memberIds(s, groupId)).length;
    },
    clean: 1,
    broken: 0,
  },
  'group-remove-by-value-ignored': {
    async observe(s) {
      const { groupId, users } = await groupWith(s, 'sticky', 'leaving', 'staying');
      const answer = await scim(s, 'PATCH', `/Groups/${groupId}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: users[0] }] }));
      return [answer.status, (await memberIds(s, groupId)).length];
    },
    clean: [200, 1],
    broken: [200, 2],
  },
  'group-member-filter-unsupported': {
    async observe(s) {
      const { groupId, users } = await groupWith(s, 'filtered', 'leaving');
      return (await scim(s, 'PATCH', `/Groups/${groupId}`, patchOp({ op: 'remove', path: `members[value eq "${users[0]}"]` }))).status;
    },
    clean: 200,
    broken: 400,
  },
  'group-rename-ignored': {
    async observe(s) {
      const group = await createGroup(s, 'old-name');
      const answer = await scim(s, 'PATCH', `/Groups/${group.id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'new-name' }));
      return [answer.status, (await scim(s, 'GET', `/Groups/${group.id}`)).body.displayName];
    },
    clean: [200, 'new-name'],
    broken: [200, 'old-name'],
  },
  // ---- CONN-09, CREATE-15/16/18, DEACT-11 -----------------------------------------------------
  'no-www-authenticate': {
    async observe(s) {
      const wrong = await scim(s, 'GET', '/Users', undefined, { headers: { Authorization: 'Bearer wrong' } });
      return [wrong.status, wrong.headers.get('www-authenticate')?.split(' ')[0]];
    },
    clean: [401, 'Bearer'],
    broken: [401, undefined],
  },
  'relative-meta-location': {
    async observe(s) {
      const answer = await scim(s, 'POST', '/Users', entraUser('relative'));
      const shown = (uri: string | null | undefined) => uri?.replace(s.baseUrl, '<base>').replace(answer.body.id, '<id>');
      return [shown(answer.body.meta.location), shown(answer.headers.get('location')), shown((await getUser(s, answer.body.id)).meta.location)];
    },
    clean: ['<base>/Users/<id>', '<base>/Users/<id>', '<base>/Users/<id>'],
    broken: ['/Users/<id>', '<base>/Users/<id>', '/Users/<id>'],
  },
  'malformed-json-500': {
    async observe(s) {
      const answer = await scim(s, 'POST', '/Users', `{"schemas":["${USER_SCHEMA}"],"userName": `);
      return [answer.status, answer.body?.status, answer.body?.scimType];
    },
    clean: [400, '400', 'invalidSyntax'],
    broken: [500, '500', undefined],
  },
  'emails-required': {
    async observe(s) {
      const plain = await scim(s, 'POST', '/Users', entraUser('no-mail', { emails: undefined }));
      const emailShaped = await scim(s, 'POST', '/Users', entraUser('no-mail@testuser.com', { emails: undefined }));
      return [plain.status, plain.body?.scimType, emailShaped.status];
    },
    clean: [201, undefined, 201],
    broken: [400, 'invalidValue', 201],
  },
  'no-content-with-content-type': {
    async observe(s) {
      const answer = await scim(s, 'DELETE', `/Users/${(await createUser(s, 'labelled')).id}`);
      return [answer.status, answer.text, mediaType(answer.headers)];
    },
    clean: [204, '', undefined],
    broken: [204, '', 'application/scim+json'],
  },
  // ---- MATCH-20..24, PATCH-22..25: varied users, unparsable filters, undefined paths ----------
  'filter-unparsable-500': {
    async observe(s) {
      const bogus = await lookup(s, 'bogus');
      return [bogus.status, bogus.body?.scimType, (await lookup(s, 'userName eq')).status];
    },
    clean: [400, 'invalidFilter', 400],
    broken: [500, undefined, 400],
  },
  'emails-filter-crashes-without-emails': {
    async observe(s) {
      await createUser(s, 'mailed');
      const filter = 'emails[type eq "work"].value eq "mailed@testuser.com"';
      const before = await totalOf(s, filter);
      await createUser(s, 'unmailed', { emails: undefined });
      return [before, await totalOf(s, filter)];
    },
    clean: [[200, 1], [200, 1]],
    broken: [[200, 1], [500, undefined]],
  },
  'emails-value-plain-unsupported': {
    async observe(s) {
      await createUser(s, 'plain');
      const plain = await lookup(s, 'emails.value eq "plain@testuser.com"');
      return [plain.status, plain.body?.totalResults ?? plain.body?.scimType, await totalOf(s, 'emails[type eq "work"].value eq "plain@testuser.com"')];
    },
    clean: [200, 1, [200, 1]],
    broken: [400, 'invalidFilter', [200, 1]],
  },
  'attributes-drops-schemas': {
    async observe(s) {
      const user = await createUser(s, 'projected');
      const byId = (await scim(s, 'GET', `/Users/${user.id}?attributes=userName`)).body;
      const listed = (await scim(s, 'GET', `/Users${filterQuery('userName eq "projected"')}&attributes=userName`)).body.Resources[0];
      return [Object.keys(byId).sort(), Object.keys(listed).sort(), Object.keys(await getUser(s, user.id)).includes('schemas')];
    },
    clean: [['id', 'schemas', 'userName'], ['id', 'schemas', 'userName'], true],
    broken: [['id', 'userName'], ['id', 'userName'], true],
  },
  'not-found-scimtype-invalid-value': {
    async observe(s) {
      const answer = await scim(s, 'GET', '/Users/00000000-0000-4000-8000-000000000000');
      return [answer.status, answer.body?.status, answer.body?.scimType];
    },
    clean: [404, '404', undefined],
    broken: [404, '404', 'invalidValue'],
  },
  'patch-undefined-path-ignored': {
    async observe(s) {
      const user = await createUser(s, 'undefined-path');
      const answer = await patchUser(s, user.id, { op: 'Replace', path: 'bogusAttribute', value: 'bogus' });
      const after = await getUser(s, user.id);
      return [answer.status, answer.body?.scimType, 'bogusAttribute' in after, after.userName];
    },
    clean: [400, 'invalidPath', false, 'undefined-path'],
    broken: [200, undefined, false, 'undefined-path'],
  },
  'patch-undefined-path-stored': {
    async observe(s) {
      const user = await createUser(s, 'stored-path');
      const answer = await patchUser(s, user.id, { op: 'replace', path: `${USER_SCHEMA}:bogusAttribute`, value: 'bogus' });
      return [answer.status, answer.body?.scimType, (await getUser(s, user.id)).bogusAttribute];
    },
    clean: [400, 'invalidPath', undefined],
    broken: [200, undefined, 'bogus'],
  },
  'patch-remove-required-accepted': {
    async observe(s) {
      const user = await createUser(s, 'required-name');
      const answer = await patchUser(s, user.id, { op: 'Remove', path: 'userName' });
      return [answer.status, (await getUser(s, user.id)).userName];
    },
    clean: [400, 'required-name'],
    broken: [200, undefined],
  },
  'patch-remove-filter-removes-all': {
    async observe(s) {
      const emails = [{ primary: true, type: 'work', value: 'two@work.example' }, { type: 'home', value: 'two@home.example' }];
      const user = await createUser(s, 'two-emails', { emails });
      const answer = await patchUser(s, user.id, { op: 'remove', path: 'emails[type eq "home"]' });
      return [answer.status, (await getUser(s, user.id)).emails?.map((e: Json) => e.type)];
    },
    clean: [200, ['work']],
    broken: [200, undefined],
  },
};

let clean: ReferenceServer;
beforeAll(async () => {
  clean = await start();
});
afterAll(() => clean.close());

describe('fault catalogue', () => {
  it('names are unique, each says what it breaks, and each has a scenario here', () => {
    const names = FAULTS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(SCENARIOS).sort()).toEqual([...names].sort());
    for (const fault of FAULTS) {
      expect(fault.breaks.length, fault.name).toBeGreaterThan(20);
      expect(fault.catches.length, `${fault.name} declares the checks that catch it`).toBeGreaterThan(0);
      // Shaped like a check id; that each names a real check is the detection matrix's to prove.
      for (const id of fault.catches) expect(id, fault.name).toMatch(/^[A-Z]+-\d{2}$/);
    }
  });

  it('Faults.has answers for active names only and rejects unknown ones', () => {
    const faults = new Faults(['delete-200', ' soft-delete ', '']);
    expect(faults.has('delete-200')).toBe(true);
    expect(faults.has('soft-delete')).toBe(true);
    expect(faults.has('create-200')).toBe(false);
    expect(faults.list().sort()).toEqual(['delete-200', 'soft-delete']);
    expect(() => new Faults(['delete200'])).toThrow(/Unknown fault "delete200"\. Known faults: .*delete-200/);
  });
});

describe.each(FAULTS.map((f) => f.name))('fault %s', (name) => {
  const scenario = SCENARIOS[name];
  let faulty: ReferenceServer;
  beforeAll(async () => {
    faulty = await start([name]);
  });
  afterAll(() => faulty.close());

  it('leaves the clean behaviour on a clean server', async () => {
    clean.reset();
    expect(await scenario.observe(clean)).toEqual(scenario.clean);
  });

  it('breaks it when switched on', async () => {
    expect(await scenario.observe(faulty)).toEqual(scenario.broken);
  });
});
