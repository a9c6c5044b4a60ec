// Named fault switches: each breaks one requirement on purpose, the way real SCIM endpoints break,
// so that the conformance suite can be shown to catch it. Adding a fault = one entry here + one
// small branch guarded by `faults.has('<name>')` where the behaviour lives. `catches` lists the
// check ids that must fail (or, for a should-check, warn) when the fault is on; the detection
// matrix (`npm run matrix`, test/matrix/) runs the suite once per fault and holds us to it.

export interface FaultDefinition {
  name: string;
  /** One sentence: what the fault breaks. */
  breaks: string;
  /** Check ids that must fail (a should-check: warn) when this fault is on. */
  catches: string[];
  /**
   * The client profile (SCIM_PROFILE) the declared checks run under; by default each check runs
   * under entra, or the first profile it names when it does not apply to entra. (Checks of the
   * read-only, load and mapped modes always run under entra.)
   */
  profile?: FaultProfile;
}

/** The client profiles of src/config.ts, spelled here because reference/ imports nothing from src/. */
export type FaultProfile = 'entra' | 'entra-2020' | 'okta' | 'rfc';

export const FAULTS = [
  // ---- discovery --------------------------------------------------------------------------
  { name: 'spc-missing', breaks: 'answers GET /ServiceProviderConfig with 404, as servers that skip discovery do', catches: ['DISC-01', 'DISC-02'] },
  { name: 'spc-limits-missing', breaks: 'leaves bulk.maxOperations, bulk.maxPayloadSize and filter.maxResults out of the ServiceProviderConfig (bulk unsupported)', catches: ['DISC-13'] },
  { name: 'spc-patch-unsupported', breaks: 'advertises patch.supported false in the ServiceProviderConfig', catches: ['DISC-02'] },
  { name: 'resource-type-plural-names', breaks: 'names the resource types "Users" and "Groups" (after their endpoints) instead of "User" and "Group"', catches: ['DISC-03', 'DISC-04', 'DISC-11'] },
  { name: 'discovery-bare-arrays', breaks: 'answers /Schemas and /ResourceTypes with a bare JSON array instead of a ListResponse', catches: ['DISC-03', 'DISC-04', 'DISC-06', 'DISC-08'] },
  { name: 'schema-username-case-exact', breaks: 'publishes userName with caseExact true in the User schema', catches: ['DISC-07'] },
  { name: 'enterprise-schema-not-served', breaks: 'lists the enterprise extension on the User resource type but leaves it out of /Schemas', catches: ['DISC-09'] },
  { name: 'schema-by-urn-unsupported', breaks: 'answers 404 to GET /Schemas/{schema URN}; only the whole list is served', catches: ['DISC-10'] },

  // ---- transport: status, headers, auth, query encoding ------------------------------------
  { name: 'auth-not-enforced', breaks: 'accepts requests with a missing or wrong bearer token', catches: ['CONN-04', 'CONN-05', 'CONN-06'] },
  { name: 'auth-403', breaks: 'answers a missing or wrong bearer token with 403 Forbidden instead of 401 Unauthorized', catches: ['CONN-04', 'CONN-05', 'CONN-06'] },
  { name: 'auth-html-401', breaks: 'answers 401 with an HTML page (as a proxy or web framework does) instead of a SCIM Error body', catches: ['CONN-06'] },
  { name: 'content-type-json', breaks: 'answers with Content-Type application/json instead of application/scim+json', catches: ['DISC-12', 'CONN-07', 'CREATE-13'] },
  { name: 'filter-plus-not-decoded', breaks: 'decodes the query with decodeURIComponent, so the "+" Entra sends for spaces stays a "+" and the filter is refused', catches: ['CONN-01', 'CONN-03', 'MATCH-01', 'MATCH-06'] },
  { name: 'filter-only-plus-encoding', breaks: 'splits the raw filter on "+" before decoding, so a filter whose spaces arrive as %20 is refused with 400', catches: ['CONN-02', 'MATCH-04'] },
  { name: 'filter-raw-quotes-rejected', breaks: 'refuses a request target with raw double quotes with an HTML 400, as Tomcat does ("Invalid character found in the request target")', catches: ['CONN-03', 'MATCH-05'] },
  { name: 'error-status-number', breaks: 'writes the Error `status` as a JSON number instead of a string', catches: ['CONN-06', 'CREATE-09', 'CREATE-11', 'MATCH-11', 'MATCH-17', 'PATCH-14', 'PATCH-15'] },
  { name: 'unknown-id-500', breaks: 'answers 500 instead of 404 for a resource id that does not exist', catches: ['MATCH-11', 'PATCH-14', 'DEACT-07', 'DEACT-09', 'GROUP-16'] },

  // ---- lists and filters -------------------------------------------------------------------
  { name: 'empty-filter-404', breaks: 'answers 404 instead of an empty ListResponse when a filter matches nothing', catches: ['CONN-01', 'CONN-02', 'CONN-03', 'MATCH-08', 'DEACT-08', 'GROUP-04'] },
  { name: 'filter-ignored', breaks: 'ignores the filter query parameter and returns every resource', catches: ['CONN-01', 'CONN-02', 'MATCH-01', 'MATCH-06', 'MATCH-08', 'GROUP-03', 'GROUP-04', 'RO-01'] },
  { name: 'lowercase-resources', breaks: 'names the ListResponse member "resources" instead of "Resources"', catches: ['CONN-01', 'DISC-03', 'DISC-06', 'MATCH-01'] },
  { name: 'unfiltered-list-refused', breaks: 'refuses GET /Users and /Groups without a filter (400 tooMany): only lookups are supported, not listing', catches: ['DISC-05', 'MATCH-13'] },
  { name: 'username-case-sensitive', breaks: 'compares userName case-sensitively in filters although RFC 7643 makes it caseExact false', catches: ['MATCH-02', 'RO-03'] },
  { name: 'filter-attribute-names-case-sensitive', breaks: 'matches attribute names in filters case-sensitively: `USERNAME eq ...` is an unknown attribute (400)', catches: ['MATCH-03'] },
  { name: 'filter-eq-as-prefix', breaks: 'evaluates `eq` as starts-with (SQL LIKE \'value%\'), so a user whose userName or externalId extends the one asked for matches too', catches: ['MATCH-01', 'MATCH-06', 'MATCH-09'] },
  { name: 'externalid-not-filterable', breaks: 'filters on userName only: a filter on externalId is refused with 400 invalidFilter', catches: ['MATCH-06', 'MATCH-08'] },
  { name: 'externalid-case-insensitive', breaks: 'compares externalId case-insensitively in filters although RFC 7643 makes it caseExact', catches: ['MATCH-07'] },
  { name: 'filter-value-path-unsupported', breaks: 'refuses value-path filters such as emails[type eq "work"].value eq "..." with 400', catches: ['MATCH-09'] },
  { name: 'filter-and-first-only', breaks: 'evaluates only the first comparison of an `and` filter', catches: ['MATCH-19'] },
  { name: 'invalid-filter-ignored', breaks: 'ignores a filter it cannot parse and returns every resource', catches: ['MATCH-17', 'MATCH-18'] },
  { name: 'invalid-filter-500', breaks: 'answers a filter it cannot parse with 500 (an unhandled parser exception) instead of 400', catches: ['MATCH-17'] },
  { name: 'invalid-filter-scimtype', breaks: 'answers an unparsable filter with 400 scimType invalidSyntax instead of invalidFilter', catches: ['MATCH-18'] },
  { name: 'list-omits-extension', breaks: 'returns list and query results without the enterprise extension that GET by id shows', catches: ['MATCH-10'] },
  { name: 'paging-ignored', breaks: 'ignores startIndex and count and returns every result on one page', catches: ['MATCH-12', 'MATCH-13', 'MATCH-14', 'CONN-08'] },
  { name: 'paging-zero-based', breaks: 'reads startIndex as a 0-based offset (startIndex=1 skips the first result)', catches: ['MATCH-12'] },
  { name: 'paging-wrong-totals', breaks: 'sets totalResults to the number of results on the page instead of the number of matches', catches: ['MATCH-12', 'MATCH-13', 'MATCH-14'] },
  { name: 'attributes-ignored', breaks: 'ignores the `attributes` query parameter and returns the default attributes', catches: ['MATCH-15', 'MATCH-19', 'RFC-08'] },
  { name: 'excluded-attributes-ignored', breaks: 'ignores the `excludedAttributes` query parameter', catches: ['MATCH-16', 'GROUP-09', 'GROUP-10'] },

  // ---- create and representation ------------------------------------------------------------
  { name: 'create-200', breaks: 'answers a successful POST with 200 instead of 201 Created', catches: ['CREATE-01', 'CREATE-04', 'GROUP-01'] },
  { name: 'no-location', breaks: 'omits the Location header on 201 Created', catches: ['CREATE-02'] },
  { name: 'location-wrong-base', breaks: 'builds Location and meta.location from its internal address (behind a reverse proxy), not the Tenant URL', catches: ['CREATE-03'] },
  { name: 'create-without-id', breaks: 'answers 201 with the resource but without its id', catches: ['CREATE-04', 'GROUP-01'] },
  { name: 'create-minimal-body', breaks: 'answers 201 with only schemas, id, userName (displayName) and meta instead of the created resource', catches: ['CREATE-05'] },
  { name: 'no-schemas', breaks: 'returns resources without the `schemas` attribute', catches: ['CREATE-04', 'CREATE-07', 'MATCH-01', 'GROUP-02'] },
  { name: 'no-meta', breaks: 'returns resources without `meta` (no resourceType, created, lastModified or location)', catches: ['CREATE-02', 'CREATE-04', 'GROUP-02', 'RO-02'] },
  { name: 'extension-urn-not-in-schemas', breaks: 'returns the enterprise extension data but does not list its URN in `schemas`', catches: ['CREATE-07'] },
  { name: 'name-dropped', breaks: 'does not keep the complex `name` sent on create', catches: ['CREATE-05', 'CREATE-06', 'MATCH-16'] },
  { name: 'username-lowercased', breaks: 'stores userName lowercased instead of as sent', catches: ['CREATE-06'] },
  { name: 'enterprise-extension-dropped', breaks: 'does not keep the enterprise extension sent on create (employeeNumber, department, manager)', catches: ['CREATE-05', 'CREATE-06', 'CREATE-07', 'CREATE-08'] },
  { name: 'manager-stored-as-string', breaks: 'returns the enterprise manager as the bare id string Entra sends instead of {"value": ...}', catches: ['CREATE-08', 'PATCH-12'] },
  { name: 'password-returned', breaks: 'returns the password it was sent in the 201 body and on GET', catches: ['CREATE-12'] },
  { name: 'username-not-required', breaks: 'creates a user without a userName instead of answering 400', catches: ['CREATE-11'] },
  { name: 'duplicates-accepted', breaks: 'creates a second user with a userName (or a group with a displayName) that is already taken', catches: ['CREATE-09', 'CREATE-10', 'GROUP-05'] },
  { name: 'username-unique-case-sensitive', breaks: 'checks userName uniqueness case-sensitively, so "Alice" and "ALICE" can both be created', catches: ['CREATE-10'] },
  { name: 'conflict-without-scimtype', breaks: 'answers a uniqueness conflict with 409 but no scimType "uniqueness"', catches: ['CREATE-09', 'GROUP-05'] },

  // ---- PATCH -------------------------------------------------------------------------------
  { name: 'patch-op-case-sensitive', breaks: 'rejects the capitalised PATCH ops Entra sends (Add/Replace/Remove) with 400; only lowercase is accepted', catches: ['PATCH-01', 'PATCH-03', 'PATCH-04', 'PATCH-05', 'PATCH-06', 'PATCH-07', 'PATCH-08', 'PATCH-09', 'PATCH-10', 'PATCH-11', 'PATCH-12', 'DEACT-01', 'GROUP-06', 'GROUP-13'] },
  { name: 'patch-200-stale-body', breaks: 'answers PATCH with 200 and the resource as it was before the change', catches: ['PATCH-02'] },
  { name: 'patch-sub-attribute-replace-clears-siblings', breaks: 'applies `Replace name.givenName` by replacing the whole `name`, losing familyName', catches: ['PATCH-01', 'PATCH-03'] },
  { name: 'patch-filter-replace-appends', breaks: 'applies `Replace emails[type eq "work"].value` by appending a second work email', catches: ['PATCH-01', 'PATCH-04', 'PATCH-05'] },
  { name: 'patch-filter-path-ignored', breaks: 'answers success to operations whose path has a value filter ([type eq "work"], [value eq "..."]) but does nothing', catches: ['PATCH-01', 'PATCH-04', 'PATCH-05', 'PATCH-08', 'PATCH-09', 'GROUP-12'] },
  { name: 'patch-attribute-names-case-sensitive', breaks: 'matches attribute names in PATCH paths case-sensitively: `emails[type eq "work"].Value` is 400 invalidPath', catches: ['PATCH-05'] },
  { name: 'patch-username-ignored', breaks: 'treats userName as immutable: `Replace userName` answers success and changes nothing', catches: ['PATCH-06'] },
  { name: 'patch-add-singular-rejected', breaks: 'refuses `Add` on a single-valued attribute (nickName, department, manager) with 400', catches: ['PATCH-07', 'PATCH-11', 'PATCH-12'] },
  { name: 'patch-filter-add-no-create', breaks: 'answers `Add` to a filtered path whose element does not exist yet with 400 noTarget', catches: ['PATCH-08', 'PATCH-09'] },
  { name: 'patch-filter-add-no-merge', breaks: 'creates a new element for every `Add` to a filtered path, so two Adds to [type eq "work"] make two work addresses', catches: ['PATCH-09'] },
  { name: 'patch-urn-path-unsupported', breaks: 'refuses PATCH paths qualified with a schema URN (the enterprise extension) with 400', catches: ['PATCH-10', 'PATCH-11', 'PATCH-12'] },
  { name: 'patch-add-keeps-existing-value', breaks: 'ignores `Add` on a single-valued attribute that already has a value', catches: ['PATCH-11'] },
  { name: 'last-modified-frozen', breaks: 'never moves meta.lastModified after the create', catches: ['PATCH-13'] },
  { name: 'patch-unknown-op-ignored', breaks: 'skips PATCH operations with an unknown op instead of refusing the request', catches: ['PATCH-15', 'PATCH-18'] },
  { name: 'patch-schemas-not-required', breaks: 'accepts a PATCH body without the PatchOp `schemas`', catches: ['PATCH-16'] },
  { name: 'patch-empty-body-accepted', breaks: 'accepts a PATCH body without `Operations` as a no-op', catches: ['PATCH-17'] },
  { name: 'custom-extension-dropped', breaks: 'keeps only the extensions it has a schema for: a custom extension object (Entra custom attributes) is silently dropped', catches: ['CREATE-14'] },
  { name: 'pathless-dotted-keys-unsupported', breaks: 'refuses a pathless replace whose value has dotted or URN-qualified keys (name.givenName, urn:...:employeeNumber) with 400 invalidPath', catches: ['PATCH-21'] },
  { name: 'patch-pathless-rejected', breaks: 'refuses PATCH operations without a `path` (400 noTarget), so Okta\'s {"op":"replace","value":{"active":false}} and its group restatements fail', catches: ['DEACT-01', 'GROUP-06', 'GROUP-07', 'GROUP-13', 'GROUP-17'], profile: 'okta' },
  { name: 'patch-pathless-id-rejected', breaks: 'refuses a pathless replace whose value carries the readOnly `id` (400 mutability), which Okta sends with every group membership change and rename', catches: ['GROUP-06', 'GROUP-07', 'GROUP-13', 'GROUP-17'], profile: 'okta' },
  { name: 'put-unsupported', breaks: 'answers PUT /Users/{id} with 405, as endpoints built for Entra alone (which only PATCHes) often do', catches: ['PATCH-19'] },
  { name: 'put-merges', breaks: 'applies PUT as a merge: attributes the body leaves out keep their old values', catches: ['PATCH-20'] },
  // ---- beyond the clients (the rfc profile, specs/09) ----------------------------------------
  { name: 'search-unsupported', breaks: 'answers POST /Users/.search with 404: queries only as GET', catches: ['RFC-01'] },
  { name: 'sort-ignored', breaks: 'advertises sort.supported true but ignores sortBy and sortOrder', catches: ['RFC-02'] },
  { name: 'filter-operators-eq-only', breaks: 'supports only the filter operators Entra sends (eq, and): sw, pr, or, gt are refused with 400 invalidFilter', catches: ['RFC-03', 'RFC-04', 'RFC-05', 'RFC-06'] },
  { name: 'put-resets-created', breaks: 'rebuilds the resource on PUT, so the readOnly meta.created moves to the time of the PUT', catches: ['RFC-07'] },
  { name: 'me-404', breaks: 'answers GET /Me with 404 instead of 501 Not Implemented', catches: ['RFC-09'] },
  { name: 'patch-not-atomic', breaks: 'applies and stores PATCH operations one at a time, keeping the earlier ones when a later one fails', catches: ['PATCH-18'] },

  // ---- deactivate and delete ----------------------------------------------------------------
  { name: 'active-string-rejected', breaks: 'refuses the string "False"/"True" Entra sends for `active` with 400 (JSON booleans only)', catches: ['DEACT-01'] },
  { name: 'active-string-stored', breaks: 'stores `active` as the string sent ("False") and returns it as a string', catches: ['DEACT-02', 'DEACT-05'] },
  { name: 'deactivate-ignored', breaks: 'answers success to a PATCH of `active` but leaves the user active', catches: ['DEACT-02'] },
  { name: 'deactivate-deletes', breaks: 'deletes the user when `active` is set to false', catches: ['DEACT-02', 'DEACT-03', 'DEACT-05'] },
  { name: 'deactivate-hides-from-filter', breaks: 'leaves inactive users out of filter results', catches: ['DEACT-03'] },
  { name: 'deactivate-drops-group-membership', breaks: 'removes a user from every group when it is deactivated', catches: ['DEACT-04'] },
  { name: 'delete-200', breaks: 'answers DELETE with 200 and a body instead of 204 No Content', catches: ['DEACT-06', 'GROUP-15'] },
  { name: 'soft-delete', breaks: 'answers DELETE with 204 but keeps the resource readable', catches: ['DEACT-07', 'DEACT-08', 'DEACT-09', 'GROUP-16'] },
  { name: 'deleted-still-listed', breaks: 'answers 404 for a deleted user by id but still returns it in filter results', catches: ['DEACT-08'] },
  { name: 'delete-unknown-204', breaks: 'answers DELETE of an id that does not exist (or no longer exists) with 204 instead of 404', catches: ['DEACT-09'] },
  { name: 'delete-keeps-memberships', breaks: 'leaves a deleted user in the members of its groups', catches: ['DEACT-10'] },

  // ---- load (the initial sync, specs/07) ---------------------------------------------------
  { name: 'slow-responses', breaks: 'answers every request 300 ms late (a database round trip per request, a cold start): with 5 requests in flight at most 16.7 per second', catches: ['LOAD-01'] },
  { name: 'errors-under-load', breaks: 'answers every 20th request 500 (a connection pool that runs dry under load)', catches: ['LOAD-03', 'LOAD-04'] },
  { name: 'throttles-without-retry-after', breaks: 'answers every 25th request 429 without a Retry-After header, so the client can only guess how long to wait', catches: ['LOAD-05'] },
  { name: 'drops-requests-under-load', breaks: 'never answers every 50th request (a worker that hangs under load)', catches: ['LOAD-02'] },

  // ---- groups ------------------------------------------------------------------------------
  { name: 'unknown-schema-uri-rejected', breaks: 'refuses a create whose `schemas` lists a URI it does not know (Entra\'s ADSCIM group URI) with 400', catches: ['GROUP-01'] },
  { name: 'displayname-not-filterable', breaks: 'refuses a filter on the group displayName with 400 invalidFilter', catches: ['GROUP-03', 'GROUP-04', 'GROUP-13', 'GROUP-14'] },
  { name: 'group-add-replaces-members', breaks: 'applies `Add members` as a replace: the new members replace the old ones', catches: ['GROUP-07'] },
  { name: 'group-duplicate-member-add-fails', breaks: 'answers 409 to an `Add members` naming a user who is already a member', catches: ['GROUP-08'] },
  { name: 'group-remove-by-value-removes-all', breaks: 'reads Entra\'s `Remove members` with a value list as "remove all members"', catches: ['GROUP-11'] },
  { name: 'group-remove-by-value-ignored', breaks: 'answers success to Entra\'s `Remove members` with a value list but removes nothing (what the scim-patch library does)', catches: ['GROUP-11'] },
  { name: 'group-member-filter-unsupported', breaks: 'refuses `remove members[value eq "..."]` with 400 invalidPath', catches: ['GROUP-12'] },
  { name: 'group-rename-ignored', breaks: 'treats the group displayName as immutable: `Replace displayName` answers success and changes nothing', catches: ['GROUP-13', 'GROUP-14'] },
  // ---- CONN-09, CREATE-15/16/18, DEACT-11 -----------------------------------------------------
  { name: 'no-www-authenticate', breaks: 'answers a missing or wrong credential with 401 but without a WWW-Authenticate header (no challenge)', catches: ['CONN-09'] },
  { name: 'relative-meta-location', breaks: 'writes meta.location as "/Users/<id>" (scimmy\'s default), which resolved against the Tenant URL leaves its path prefix and names no resource', catches: ['CREATE-15', 'CREATE-02'] },
  { name: 'malformed-json-500', breaks: 'answers a request body that is not valid JSON with 500 (the parser\'s exception escapes) instead of 400', catches: ['CREATE-16'] },
  { name: 'emails-required', breaks: 'refuses a user without emails (400 invalidValue) unless its userName is an email address, as @better-auth/scim does', catches: ['CREATE-18'] },
  { name: 'no-content-with-content-type', breaks: 'sends Content-Type: application/scim+json with the 204 No Content of a DELETE, as @better-auth/scim does', catches: ['DEACT-11'] },
  // ---- MATCH-20..24, PATCH-22..25: varied users, unparsable filters, undefined paths ----------
  { name: 'filter-unparsable-500', breaks: 'answers a filter of one word without an operator (filter=bogus) with 500: the parser crashes instead of failing', catches: ['MATCH-20'] },
  { name: 'emails-filter-crashes-without-emails', breaks: 'answers any filter on emails with 500 "Cannot convert undefined or null to object" once a user without emails exists, as scimmy does', catches: ['MATCH-21'] },
  { name: 'emails-value-plain-unsupported', breaks: 'filters emails only in the value-path form: emails.value eq "..." (RFC 7644 §3.4.2.2) is refused with 400 invalidFilter', catches: ['MATCH-22'] },
  { name: 'attributes-drops-schemas', breaks: 'answers a request with `attributes` with the asked-for attributes and id only, without `schemas`, as scimmy does', catches: ['MATCH-23'] },
  { name: 'not-found-scimtype-invalid-value', breaks: 'answers an unknown id with 404 whose Error carries scimType "invalidValue", a keyword RFC 7644 defines for 400', catches: ['MATCH-24'] },
  { name: 'patch-undefined-path-ignored', breaks: 'answers a PATCH of an attribute the schema does not define (path "bogusAttribute") with success and ignores it, instead of 400 invalidPath', catches: ['PATCH-22'] },
  { name: 'patch-undefined-path-stored', breaks: 'stores the value of a PATCH of an attribute the schema does not define and returns it with the user (a schemaless store)', catches: ['PATCH-22', 'PATCH-23'] },
  { name: 'patch-remove-required-accepted', breaks: 'accepts a PATCH that removes the required userName (200) and stores the user without one', catches: ['PATCH-24'] },
  { name: 'patch-remove-filter-removes-all', breaks: 'reads `remove emails[type eq "home"]` as "remove emails": the filter is ignored and every email goes', catches: ['PATCH-25'] },
] as const satisfies readonly FaultDefinition[];

export type FaultName = (typeof FAULTS)[number]['name'];

const KNOWN = new Set<string>(FAULTS.map((f) => f.name));

export class Faults {
  private readonly active: ReadonlySet<FaultName>;

  /** Throws on an unknown name, listing the known ones. */
  constructor(names: Iterable<string> = []) {
    const active = new Set<FaultName>();
    for (const raw of names) {
      const name = raw.trim();
      if (name === '') continue;
      if (!KNOWN.has(name)) {
        throw new Error(`Unknown fault "${name}". Known faults: ${[...KNOWN].join(', ')}`);
      }
      active.add(name as FaultName);
    }
    this.active = active;
  }

  has(name: FaultName): boolean {
    return this.active.has(name);
  }

  list(): FaultName[] {
    return [...this.active];
  }
}

/** No fault on: the default where a function takes the switches. */
export const NO_FAULTS = new Faults();
