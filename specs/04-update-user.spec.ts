// Step 4, update: a user's attributes change in the directory. Entra reads the user by id, then
// sends PATCH /Users/{id} with one op per changed attribute, capitalised ("Replace", "Add"), on
// filtered and URN paths, and takes 200 with the resource or 204 (entra-2020 and rfc spell the ops
// in lower case). Okta instead reads the user and sends the whole of it back with PUT. Every change
// is proven by a fresh GET /Users/{id}, never by the answer alone. Each concern gets its own user,
// so that one broken form does not take the others down with it.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe } from 'vitest';
import {
  check,
  client,
  createUser,
  entra,
  expectEmptyListResponse,
  expectEqual,
  expectJsonObject,
  expectListResponse,
  expectSchema,
  expectScimError,
  expectStatus,
  expectThat,
  lookupPath,
  notDefined,
  once,
  patch,
  profilesWhere,
  randomGuid,
  readUser,
  requireMapped,
  requires,
  sceneryUser,
  scim,
  serverDefines,
  uniqueName,
  valueAt,
  valuesOfType,
} from '../src/harness.ts';

const ENTERPRISE = entra.SCHEMA.enterprise;

const PATCH_ANSWER =
  'RFC 7644 §3.5.2: "On successful completion, the server either MUST return a 200 OK response code and the entire resource within the response body, subject to the "attributes" query parameter (see Section 3.9), or MAY return HTTP status code 204 (No Content)"';
const CAPITALISED_OPS =
  'Entra: "Don\'t require a case-sensitive match on structural elements in SCIM, in particular PATCH op operation values ... Microsoft Entra ID emits the values of op as Add, Replace, and Remove."';
const REPLACE = 'RFC 7644 §3.5.2.3: "The "replace" operation replaces the value at the target location specified by the "path"."';
const REPLACE_FILTERED =
  'RFC 7644 §3.5.2.3: for "addresses[type eq "work"].streetAddress"-style paths "the matching sub-attribute of all matching records is replaced"; Entra: "The "type" subattribute values of multivalued complex attributes must be unique. For example, there can\'t be two different email addresses with the "work" subtype."';
const ADD_ABSENT = 'RFC 7644 §3.5.2.1: "If the target location specifies an attribute that does not exist (has no value), the attribute is added with the new value."';
const ATOMIC =
  'RFC 7644 §3.5.2: "A patch request, regardless of the number of operations, SHALL be treated as atomic. If a single operation encounters an error condition, the original SCIM resource MUST be restored, and a failure status SHALL be returned."';
/** An attribute no SCIM schema defines (PATCH-22, PATCH-23). */
const UNDEFINED_ATTRIBUTE = 'bogusAttribute';
const UNDEFINED_PATH =
  'RFC 7644 §3.5.2: "Each operation against an attribute MUST be compatible with the attribute\'s mutability and schema ... An operation that is not compatible with an attribute\'s mutability or schema SHALL return the appropriate HTTP response status code and a JSON detail error response as defined in Section 3.12."; RFC 7644 §3.12 Table 9: invalidPath, "The "path" attribute was invalid or malformed (see Figure 7)."';
const UNDEFINED_NOT_STORED =
  'RFC 7644 §3.5.2: "An operation that is not compatible with an attribute\'s mutability or schema SHALL return the appropriate HTTP response status code and a JSON detail error response"; RFC 7643 §3: "schemas" indicates "the namespaces of the SCIM schemas that define the attributes present in the current JSON structure", so a user carries no attribute its schemas do not define';
const REMOVE_REQUIRED =
  'RFC 7643 §4.1.1: userName "This attribute is REQUIRED and is case insensitive."; RFC 7644 §3.5.2.2: "If an attribute is removed or becomes unassigned and is defined as a required attribute or a read-only attribute, the server SHALL return an HTTP response status code and a JSON detail error response as defined in Section 3.12, with a "scimType" error code of "mutability"."; RFC 7644 §3.5.2: "If a single operation encounters an error condition, the original SCIM resource MUST be restored"';
const REMOVE_FILTERED =
  'RFC 7644 §3.5.2.2: "If the target location is a complex multi-valued attribute and a complex filter is specified based on the attribute\'s sub-attributes, the matching records are removed."; Entra: "The "type" subattribute values of multivalued complex attributes must be unique"';

/** A fresh user for one concern (the plainest RFC body when the client's is refused); blocked with the reason when neither is accepted. */
async function userFor(label: string): Promise<{ id: string; seed: entra.UserSeed }> {
  const user = await sceneryUser(label);
  const id = requires(user.id, `POST /Users for the "${label}" user answered ${user.res.status} without an id; there is nothing to PATCH`);
  return { id, seed: user.seed };
}

/** Clients that update users with PATCH (Okta sends a full PUT instead). */
const PATCHES = profilesWhere((p) => p.updatesUsersBy === 'PATCH');
/** Forms only Entra sends: Add to a filtered path that may not exist, a bare-string manager. */
const ENTRA = ['entra', 'entra-2020'] as const;
/** Clients that update users with PUT, and the strict RFC profile, which tests its semantics. */
const PUTS = [...profilesWhere((p) => p.updatesUsersBy === 'PUT'), 'rfc' as const];

const PUT_REPLACES =
  'RFC 7644 §3.5.1: "HTTP PUT is used to replace a resource\'s attributes ... readWrite, writeOnly: Any values provided SHALL replace the existing attribute values ... Unless otherwise specified, a successful PUT operation returns a 200 OK response code and the entire resource within the response body"; Okta: profile updates are a GET of the user followed by a PUT of all of it';
const PUT_CLEARS =
  'RFC 7644 §3.5.1: "Attributes whose mutability is "readWrite" that are omitted from the request body MAY be assumed to be not asserted by the client. The service provider may assume that any existing values are to be cleared"; Okta removes an attribute by leaving it out of the PUT, so an endpoint that keeps it shows stale data';

describe('04 Update user (PATCH)', () => {
  // The tutorial's "Update User [Multi-valued properties]" request, read by PATCH-01 and PATCH-02.
  const tutorialUpdate = once(async () => {
    const { id, seed } = await userFor('patch-tutorial');
    const newEmail = `updated-${seed.email}`;
    const newFamilyName = `Updated-${seed.familyName}`;
    const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.replaceWorkEmail(newEmail), patch.replaceFamilyName(newFamilyName)));
    return { id, seed, newEmail, newFamilyName, res };
  });

  check(
    {
      id: 'PATCH-01',
      profiles: PATCHES,
      severity: 'must',
      requirement: `${CAPITALISED_OPS}; ${REPLACE}`,
      title:
        'PATCH with Entra\'s tutorial body ("Replace" emails[type eq "work"].value and "Replace" name.familyName) answers 200 or 204, and a fresh GET shows the new work email and family name',
    },
    async () => {
      requireMapped('emails[type eq "work"].value', 'name.familyName');
      const { id, seed, newEmail, newFamilyName, res } = await tutorialUpdate();
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valueAt(user, 'name', 'familyName'), newFamilyName, 'name.familyName after the PATCH', got);
      expectEqual(valueAt(user, 'name', 'givenName'), seed.givenName, 'name.givenName (not part of the PATCH)', got);
      const work = valuesOfType(user.emails, 'work');
      expectEqual(work.map((e) => e.value), [newEmail], 'the values of the work emails after the PATCH', got);
    },
  );

  check(
    {
      id: 'PATCH-02',
      profiles: PATCHES,
      severity: 'must',
      requirement: PATCH_ANSWER,
      title: 'The answer to that PATCH is 200 with the entire, schema-valid user showing the change, or 204 with no body',
    },
    async () => {
      requireMapped('emails[type eq "work"].value', 'name.familyName');
      const { id, newFamilyName, res } = await tutorialUpdate();
      expectStatus(res, [200, 204], 'PATCH');
      if (res.status === 204) {
        expectThat(res.text.trim() === '', `a 204 No Content answer carries no body, got ${res.text.length} characters`, res);
        return;
      }
      const body = expectJsonObject(res);
      expectSchema(res, 'user-response');
      expectEqual(body.id, id, 'the id in the PATCH answer', res);
      expectEqual(valueAt(body, 'name', 'familyName'), newFamilyName, 'name.familyName in the PATCH answer (the resource after the change)', res);
    },
  );

  check(
    {
      id: 'PATCH-03',
      profiles: PATCHES,
      severity: 'must',
      requirement: `${REPLACE}; Entra maps givenName to name.givenName and sends one op per changed attribute`,
      title: 'PATCH "Replace" name.givenName changes the given name and leaves name.familyName as it was (fresh GET)',
    },
    async () => {
      requireMapped('name.givenName', 'name.familyName');
      const { id, seed } = await userFor('patch-given');
      const newGivenName = `Renamed-${randomGuid().slice(0, 8)}`;
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.replaceGivenName(newGivenName)));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valueAt(user, 'name', 'givenName'), newGivenName, 'name.givenName after the PATCH', got);
      expectEqual(valueAt(user, 'name', 'familyName'), seed.familyName, 'name.familyName (not part of the PATCH)', got);
    },
  );

  check(
    {
      id: 'PATCH-04',
      profiles: PATCHES,
      severity: 'must',
      requirement: REPLACE_FILTERED,
      title:
        'PATCH "Replace" emails[type eq "work"].value on a user with a work and an other email leaves exactly one work email, with the new value, and the other email untouched (fresh GET)',
    },
    async () => {
      requireMapped('emails[type eq "work"].value');
      const seed = entra.userSeed('patch-email');
      const otherEmail = `other-${seed.email}`;
      const created = await scim.post('/Users', {
        ...client.createUserBody(seed),
        emails: [
          { primary: true, type: 'work', value: seed.email },
          { type: 'other', value: otherEmail },
        ],
      });
      const createdId = valueAt(created.json, 'id');
      const id = requires(
        created.status < 300 && typeof createdId === 'string' ? createdId : undefined,
        `POST /Users answered ${created.status} without an id; there is nothing to PATCH`,
      );
      const newEmail = `updated-${seed.email}`;
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.replaceWorkEmail(newEmail)));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valuesOfType(user.emails, 'work').map((e) => e.value), [newEmail], 'the values of the work emails (exactly one, replaced in place)', got);
      expectEqual(valuesOfType(user.emails, 'other').map((e) => e.value), [otherEmail], 'the values of the other emails (not matched by the filter)', got);
    },
  );

  check(
    {
      id: 'PATCH-05',
      profiles: ['entra'],
      severity: 'must',
      requirement:
        'RFC 7643 §2.1: "Attribute names are case insensitive"; Entra: its default mapping spells sub-attributes with a capital (emails[type eq "other"].Value, addresses[type eq "other"].Formatted)',
      title: 'PATCH "Replace" emails[type eq "work"].Value (capital V, as Entra\'s mappings spell it) replaces the one work email (fresh GET)',
    },
    async () => {
      requireMapped('emails[type eq "work"].value');
      const { id, seed } = await userFor('patch-email-case');
      const newEmail = `updated-${seed.email}`;
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.replaceWorkEmailCapitalised(newEmail)));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valuesOfType(user.emails, 'work').map((e) => e.value), [newEmail], 'the values of the work emails (exactly one, replaced in place)', got);
    },
  );

  check(
    {
      id: 'PATCH-06',
      profiles: PATCHES,
      severity: 'must',
      requirement:
        'Entra: userName (from userPrincipalName) is the matching attribute; after a rename it finds the user by the new userName, and a stale old name leads to a wrong match or a duplicate; RFC 7644 §3.4.2.2 filters on the stored value',
      title:
        'PATCH "Replace" userName renames the user: GET by id shows the new name, filter userName eq <old> finds nothing and userName eq <new> finds exactly this user',
    },
    async () => {
      const { id, seed } = await userFor('patch-username');
      const newUserName = `${uniqueName('patch-renamed')}@testuser.example.com`;
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.replaceUserName(newUserName)));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(user.userName, newUserName, 'userName after the PATCH', got);
      expectEmptyListResponse(await scim.get(lookupPath('Users', 'userName', seed.userName)));
      const byNewName = await scim.get(lookupPath('Users', 'userName', newUserName));
      const list = expectListResponse(byNewName);
      expectEqual(list.totalResults, 1, 'totalResults for the new userName', byNewName);
      expectEqual(list.Resources.map((r) => r.id), [id], 'the ids found by the new userName', byNewName);
    },
  );

  check(
    {
      id: 'PATCH-07',
      profiles: PATCHES,
      severity: 'must',
      requirement: `${ADD_ABSENT}; Entra sends {"op":"Add","path":"nickName","value":"Babs"}`,
      title: 'PATCH "Add" nickName on a user without one sets it (fresh GET)',
    },
    async () => {
      requireMapped('nickName');
      const { id } = await userFor('patch-nick');
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.addNickName('Babs')));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(user.nickName, 'Babs', 'nickName after the PATCH', got);
    },
  );

  check(
    {
      id: 'PATCH-08',
      profiles: ENTRA,
      severity: 'must',
      requirement: `Entra: sends "Add" to addresses[type eq "work"].formatted whether or not the user has a work address; RFC 7644 §3.5.2.1: "If the target location does not exist, the attribute and value are added."`,
      title:
        'PATCH "Add" addresses[type eq "work"].formatted on a user with no address creates exactly one address, of type "work", with that formatted value (fresh GET)',
    },
    async () => {
      requireMapped('addresses[type eq "work"].formatted');
      const { id } = await userFor('patch-address');
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.addAbsentWorkAddressFormatted('Columbus')));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      const addresses = Array.isArray(user.addresses) ? user.addresses : [];
      const work = valuesOfType(addresses, 'work');
      expectEqual(addresses.length, 1, 'the number of addresses after the PATCH', got);
      expectEqual(work.length, 1, 'the number of addresses of type "work"', got);
      expectEqual(work[0]?.formatted, 'Columbus', 'addresses[type eq "work"].formatted', got);
    },
  );

  check(
    {
      id: 'PATCH-09',
      profiles: ENTRA,
      severity: 'must',
      requirement:
        'Entra: several "Add" ops on one [type eq "work"] element in one request must build ONE element (SCIM-SDK #680); Entra: "The "type" subattribute values of multivalued complex attributes must be unique."',
      title:
        'PATCH with two ops, "Add" addresses[type eq "work"].locality and "Add" addresses[type eq "work"].postalCode, leaves one work address holding both (fresh GET)',
    },
    async () => {
      requireMapped('addresses[type eq "work"].locality', 'addresses[type eq "work"].postalCode');
      const { id } = await userFor('patch-address-merge');
      const res = await scim.patch(
        `/Users/${id}`,
        client.patchOp(patch.addWorkAddressPart('locality', 'Columbus'), patch.addWorkAddressPart('postalCode', '43215')),
      );
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      const work = valuesOfType(user.addresses, 'work');
      expectEqual(work.length, 1, 'the number of addresses of type "work" (the two ops target the same element)', got);
      expectEqual(work[0]?.locality, 'Columbus', 'addresses[type eq "work"].locality', got);
      expectEqual(work[0]?.postalCode, '43215', 'addresses[type eq "work"].postalCode', got);
    },
  );

  check(
    {
      id: 'PATCH-10',
      profiles: PATCHES,
      severity: 'must',
      requirement:
        'Entra: maps employeeId to urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber; RFC 7644 §3.10: an attribute may be named by its schema URN followed by ":" and the attribute name',
      title: `PATCH "Replace" ${ENTERPRISE}:employeeNumber changes employeeNumber inside the enterprise extension (fresh GET)`,
    },
    async () => {
      requireMapped(`${ENTERPRISE}:employeeNumber`);
      const { id } = await userFor('patch-employee');
      const newNumber = `E${randomGuid().replace(/\D/g, '').slice(0, 9)}`;
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.replaceEmployeeNumber(newNumber)));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valueAt(user, ENTERPRISE, 'employeeNumber'), newNumber, `"${ENTERPRISE}".employeeNumber after the PATCH`, got);
    },
  );

  check(
    {
      id: 'PATCH-11',
      profiles: PATCHES,
      severity: 'must',
      requirement: `Entra: sends {"op":"Add","path":"${ENTERPRISE}:department",...}; RFC 7644 §3.5.2.1: "If the target location specifies a single-valued attribute, the existing value is replaced."`,
      title: `PATCH "Add" ${ENTERPRISE}:department replaces the department inside the enterprise extension (fresh GET)`,
    },
    async () => {
      requireMapped(`${ENTERPRISE}:department`);
      const { id } = await userFor('patch-department');
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.addDepartment('Tech Infrastructure')));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valueAt(user, ENTERPRISE, 'department'), 'Tech Infrastructure', `"${ENTERPRISE}".department after the PATCH`, got);
    },
  );

  check(
    {
      id: 'PATCH-12',
      profiles: ENTRA,
      severity: 'must',
      requirement:
        'Entra: sends the manager as a bare id string; RFC 7643 §4.3: manager is "A complex type" whose "value" is "The "id" of the SCIM resource representing the user\'s manager"; a string manager breaks Entra\'s parser (Budibase #15369)',
      title: `PATCH {"op":"Add","path":"${ENTERPRISE}:manager","value":"<manager id>"} (a bare string) reads back as manager {"value": "<manager id>"} (fresh GET)`,
    },
    async () => {
      requireMapped(`${ENTERPRISE}:manager`);
      const manager = await userFor('patch-manager');
      const { id } = await userFor('patch-report');
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.managerAsBareString(manager.id)));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      const stored = valueAt(user, ENTERPRISE, 'manager');
      expectThat(
        typeof stored === 'object' && stored !== null && !Array.isArray(stored),
        `expected "${ENTERPRISE}".manager to be a complex value {"value": "${manager.id}"}, got ${JSON.stringify(stored) ?? 'nothing'}`,
        got,
      );
      expectEqual(valueAt(stored, 'value'), manager.id, `"${ENTERPRISE}".manager.value`, got);
    },
  );

  check(
    {
      id: 'PATCH-13',
      profiles: PATCHES,
      severity: 'should',
      requirement:
        'RFC 7643 §3.1: meta.lastModified is "The most recent DateTime that the details of this resource were updated at the service provider."',
      title: 'After a PATCH, meta.lastModified (fresh GET) is a later date-time than before it',
    },
    async () => {
      requireMapped('name.familyName');
      const { id, seed } = await userFor('patch-modified');
      const { res: before, resource: original } = await readUser(id);
      const lastModifiedBefore = valueAt(original, 'meta', 'lastModified');
      const beforeMs = Date.parse(String(lastModifiedBefore));
      expectThat(!Number.isNaN(beforeMs), `expected meta.lastModified to be a date-time, got ${JSON.stringify(lastModifiedBefore) ?? 'nothing'}`, before);
      // An endpoint that keeps whole seconds needs a later second to show; sub-second stamps need a moment.
      await sleep(/\.\d*[1-9]/.test(String(lastModifiedBefore)) ? 20 : 1100);
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.replaceFamilyName(`Updated-${seed.familyName}`)));
      expectStatus(res, [200, 204], 'PATCH');
      const { res: got, resource: user } = await readUser(id);
      const lastModifiedAfter = valueAt(user, 'meta', 'lastModified');
      const afterMs = Date.parse(String(lastModifiedAfter));
      expectThat(!Number.isNaN(afterMs), `expected meta.lastModified to be a date-time, got ${JSON.stringify(lastModifiedAfter) ?? 'nothing'}`, got);
      expectThat(
        afterMs > beforeMs,
        `expected meta.lastModified to move forward, but it was ${String(lastModifiedBefore)} before the PATCH and is ${String(lastModifiedAfter)} after it`,
        got,
      );
    },
  );

  check(
    {
      id: 'PATCH-14',
      profiles: PATCHES,
      severity: 'must',
      requirement:
        'RFC 7644 §3.12: 404 Not Found, "Specified resource (e.g., User) or endpoint does not exist", and "implementers MUST return the errors in the body of the response in a JSON format"',
      title: 'PATCH /Users/<random guid> (no such user) answers 404 with a SCIM Error body whose status is "404"',
    },
    async () => {
      const res = await scim.patch(`/Users/${randomGuid()}`, client.patchOp(patch.replaceFamilyName('Nobody')));
      expectScimError(res, 404);
    },
  );

  check(
    {
      id: 'PATCH-15',
      profiles: PATCHES,
      severity: 'must',
      requirement:
        'RFC 7644 §3.5.2: "Each PATCH operation object MUST have exactly one "op" member, whose value indicates the operation to perform and MAY be one of "add", "remove", or "replace"."; RFC 7644 §3.12: 400 Bad Request, "Request is unparsable, syntactically incorrect, or violates schema."',
      title: 'PATCH with an unknown op ("Merge" on nickName) answers 400 with a SCIM Error body, and a fresh GET shows nickName was not set',
    },
    async () => {
      const { id } = await userFor('patch-unknown-op');
      // The RFC names no scimType for an unknown op (invalidSyntax fits, but it is not spelled out), so none is asserted.
      const res = await scim.patch(`/Users/${id}`, client.patchOp(patch.operation('Merge', 'nickName', 'Merged')));
      expectScimError(res, 400);
      const { res: got, resource: user } = await readUser(id);
      expectThat(user.nickName !== 'Merged', 'the rejected "Merge" op was applied anyway: nickName is now "Merged"', got);
    },
  );

  check(
    {
      id: 'PATCH-16',
      profiles: PATCHES,
      severity: 'should',
      requirement:
        'RFC 7644 §3.5.2: "The body of each request MUST contain the "schemas" attribute with the URI value of "urn:ietf:params:scim:api:messages:2.0:PatchOp"."; RFC 7644 §3.12: 400 Bad Request, "Request is unparsable, syntactically incorrect, or violates schema."',
      title: 'PATCH whose body has Operations but no "schemas" answers 400 with a SCIM Error body',
    },
    async () => {
      const { id } = await userFor('patch-no-schemas');
      const { schemas: _left, ...withoutSchemas } = client.patchOp(patch.addNickName('Babs'));
      const res = await scim.patch(`/Users/${id}`, withoutSchemas);
      expectScimError(res, 400);
    },
  );

  check(
    {
      id: 'PATCH-17',
      profiles: PATCHES,
      severity: 'should',
      requirement:
        'RFC 7644 §3.5.2: "The body of an HTTP PATCH request MUST contain the attribute "Operations", whose value is an array of one or more PATCH operations."; RFC 7644 §3.12: 400 Bad Request, "Request is unparsable, syntactically incorrect, or violates schema."',
      title: 'PATCH whose body has the PatchOp "schemas" but no "Operations" answers 400 with a SCIM Error body',
    },
    async () => {
      const { id } = await userFor('patch-no-operations');
      const res = await scim.patch(`/Users/${id}`, { schemas: [entra.SCHEMA.patchOp] });
      expectScimError(res, 400);
    },
  );

  check(
    {
      id: 'PATCH-18',
      profiles: PATCHES,
      severity: 'must',
      requirement: ATOMIC,
      title:
        'PATCH with a valid "Replace" name.familyName followed by an unknown op fails with 400, and a fresh GET shows the family name unchanged',
    },
    async () => {
      requireMapped('name.familyName');
      const { id, seed } = await userFor('patch-atomic');
      const res = await scim.patch(
        `/Users/${id}`,
        client.patchOp(patch.replaceFamilyName(`Updated-${seed.familyName}`), patch.operation('Merge', 'nickName', 'Merged')),
      );
      expectStatus(res, 400, 'PATCH with an unknown second op');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valueAt(user, 'name', 'familyName'), seed.familyName, 'name.familyName after the failed PATCH (the first op must be rolled back)', got);
    },
  );
  /** The user as a fresh GET shows it, without what the server assigns, as Okta sends it back with PUT. */
  async function currentRepresentation(id: string): Promise<Record<string, unknown>> {
    const { resource } = await readUser(id);
    const { meta: _meta, ...rest } = resource;
    return rest;
  }

  check(
    {
      id: 'PATCH-19',
      severity: 'must',
      profiles: PUTS,
      requirement: PUT_REPLACES,
      title: 'GET /Users/{id}, then PUT /Users/{id} with the whole user and a new name.familyName answers 200 with the entire user showing it, and a fresh GET shows it too',
    },
    async () => {
      requireMapped('name.familyName');
      const { id, seed } = await userFor('put-update');
      const newFamilyName = `Updated-${seed.familyName}`;
      const user = await currentRepresentation(id);
      const res = await scim.put(`/Users/${id}`, { ...user, name: { ...(user.name as object), familyName: newFamilyName } });
      expectStatus(res, 200, 'PUT');
      expectEqual(valueAt(expectJsonObject(res), 'name', 'familyName'), newFamilyName, 'name.familyName in the PUT answer', res);
      expectSchema(res, 'user-response');
      const { res: got, resource: after } = await readUser(id);
      expectEqual(valueAt(after, 'name', 'familyName'), newFamilyName, 'name.familyName (fresh GET)', got);
    },
  );

  check(
    {
      id: 'PATCH-20',
      severity: 'should',
      profiles: PUTS,
      requirement: PUT_CLEARS,
      title: 'A PUT of the whole user that leaves out nickName (or another optional string the server defines, such as title), set by an earlier PUT, clears it (fresh GET)',
    },
    async () => {
      // The first optional readWrite string the server defines (its /Schemas), nickName when it does.
      const attribute = ['nickName', 'title', 'preferredLanguage'].find((a) => serverDefines(a)) ?? notDefined('User', ['nickName', 'title', 'preferredLanguage']);
      requireMapped(attribute);
      const { id } = await userFor('put-clear');
      const user = await currentRepresentation(id);
      const set = await scim.put(`/Users/${id}`, { ...user, [attribute]: 'Babs' });
      requires(set.status === 200 && valueAt((await readUser(id)).resource, attribute) === 'Babs' ? true : undefined, `the PUT that sets ${attribute} answered ${set.status} or did not set it (see PATCH-19)`);
      const { [attribute]: _left, ...without } = await currentRepresentation(id);
      const res = await scim.put(`/Users/${id}`, without);
      expectStatus(res, 200, `PUT without ${attribute}`);
      const { res: got, resource: after } = await readUser(id);
      expectThat(!(attribute in after), `expected ${attribute} to be cleared by the PUT that left it out, got ${JSON.stringify(after[attribute])}`, got);
    },
  );
  check(
    {
      id: 'PATCH-21',
      severity: 'must',
      profiles: ['entra-2020'],
      requirement:
        'Entra (aadOptscim062020, application-provisioning-config-problem-scim-compatibility): several attributes arrive as one pathless op, {"op":"replace","value":{"displayName":...,"name.givenName":...,"name.familyName":...,"urn:...:enterprise:2.0:User:employeeNumber":...}}; RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the resource itself. In this case, the "value" attribute SHALL contain a list of one or more attributes that are to be replaced."',
      title: `PATCH with one pathless "replace" whose value has dotted and URN keys (name.givenName, name.familyName, ${ENTERPRISE}:employeeNumber) changes each of them (fresh GET)`,
    },
    async () => {
      requireMapped('name.givenName', 'name.familyName', `${ENTERPRISE}:employeeNumber`);
      const { id, seed } = await userFor('patch-pathless');
      const changed = { givenName: `G-${seed.givenName}`, familyName: `F-${seed.familyName}`, employeeNumber: `E-${seed.employeeNumber}` };
      const res = await scim.patch(
        `/Users/${id}`,
        client.patchOp({
          op: 'replace',
          value: { 'name.givenName': changed.givenName, 'name.familyName': changed.familyName, [`${ENTERPRISE}:employeeNumber`]: changed.employeeNumber },
        }),
      );
      expectStatus(res, [200, 204], 'pathless PATCH replace');
      const { res: got, resource: user } = await readUser(id);
      expectEqual(valueAt(user, 'name', 'givenName'), changed.givenName, 'name.givenName', got);
      expectEqual(valueAt(user, 'name', 'familyName'), changed.familyName, 'name.familyName', got);
      expectEqual(valueAt(user, ENTERPRISE, 'employeeNumber'), changed.employeeNumber, `${ENTERPRISE}:employeeNumber`, got);
    },
  );

  // ---- Undefined and required attributes, filtered removal (PATCH-22..25) ----------------------
  /** A PATCH of an attribute no SCIM schema defines, and the user as a GET showed it before. */
  const undefinedPath = once(async () => {
    const { id } = await userFor('patch-undefined-path');
    const { resource: before } = await readUser(id);
    const res = await scim.patch(`/Users/${id}`, client.patchOp({ op: 'Replace', path: UNDEFINED_ATTRIBUTE, value: 'bogus-value' }));
    return { id, before, res };
  });

  check(
    {
      id: 'PATCH-22',
      profiles: PATCHES,
      severity: 'should',
      requirement: UNDEFINED_PATH,
      title: `PATCH "Replace" ${UNDEFINED_ATTRIBUTE} (an attribute the User schema does not define) answers 400 with a SCIM Error whose scimType is "invalidPath"`,
    },
    async () => {
      const { res } = await undefinedPath();
      expectScimError(res, 400, 'invalidPath');
    },
  );

  check(
    {
      id: 'PATCH-23',
      profiles: PATCHES,
      severity: 'must',
      requirement: UNDEFINED_NOT_STORED,
      title: `After that PATCH of ${UNDEFINED_ATTRIBUTE}, a fresh GET shows the user as before (meta aside) and no ${UNDEFINED_ATTRIBUTE} attribute`,
    },
    async () => {
      const { id, before } = await undefinedPath();
      const { res: got, resource: after } = await readUser(id);
      const stored = Object.keys(after).filter((key) => key.toLowerCase().endsWith(UNDEFINED_ATTRIBUTE.toLowerCase()));
      expectThat(stored.length === 0, `the user now carries ${stored.map((k) => `"${k}": ${JSON.stringify(after[k])}`).join(', ')}, an attribute no schema in its "schemas" defines`, got);
      const { meta: _before, ...was } = before;
      const { meta: _after, ...is } = after;
      expectEqual(is, was, 'the user after the PATCH of an undefined attribute (meta aside; nothing may change)', got);
    },
  );

  check(
    {
      id: 'PATCH-24',
      profiles: PATCHES,
      severity: 'must',
      requirement: REMOVE_REQUIRED,
      title: 'PATCH "Remove" userName (required) answers 400 with a SCIM Error, and a fresh GET still shows the userName',
    },
    async () => {
      const { id, seed } = await userFor('patch-remove-username');
      const res = await scim.patch(`/Users/${id}`, client.patchOp({ op: 'Remove', path: 'userName' }));
      expectScimError(res, 400);
      const { res: got, resource: user } = await readUser(id);
      // userName is case insensitive, so a server MAY store it in another case (RFC 7643 §7 caseExact).
      expectEqual(typeof user.userName === 'string' ? user.userName.toLowerCase() : user.userName, seed.userName.toLowerCase(), 'userName after the refused removal (compared without case)', got);
    },
  );

  check(
    {
      id: 'PATCH-25',
      profiles: PATCHES,
      severity: 'must',
      requirement: REMOVE_FILTERED,
      title: 'On a user with a work and a home email, PATCH "Remove" emails[type eq "home"] answers 200 or 204, and a fresh GET shows the work email still there and no home email',
    },
    async () => {
      requireMapped('emails[type eq "work"].value');
      const user = await createUser('patch-home-email', entra.withHomeEmail);
      const id = requires(user.id, `POST /Users for a user with a work and a home email answered ${user.res.status} without an id; there is nothing to PATCH`);
      const { resource: before } = await readUser(id);
      requires(
        valuesOfType(before.emails, 'work').length === 1 && valuesOfType(before.emails, 'home').length === 1 ? true : undefined,
        `the user was created without one work and one home email (a GET shows emails ${JSON.stringify(before.emails) ?? 'absent'}); there is no home email to remove`,
      );
      const res = await scim.patch(`/Users/${id}`, client.patchOp({ op: 'Remove', path: 'emails[type eq "home"]' }));
      expectStatus(res, [200, 204], 'PATCH remove emails[type eq "home"]');
      const { res: got, resource: after } = await readUser(id);
      const lower = (emails: Array<Record<string, unknown>>) => emails.map((e) => String(e.value).toLowerCase());
      expectEqual(lower(valuesOfType(after.emails, 'work')), [user.seed.email.toLowerCase()], 'the values of the work emails (not matched by the filter: kept)', got);
      expectEqual(valuesOfType(after.emails, 'home').length, 0, 'the number of home emails after the removal', got);
    },
  );
});
