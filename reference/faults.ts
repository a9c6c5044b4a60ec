// Named fault switches: each breaks one requirement on purpose, so that the conformance
// suite can be shown to catch it. Adding a fault = one entry here + one small branch
// guarded by `faults.has('<name>')` where the behaviour lives.

export interface FaultDefinition {
  name: string;
  /** One sentence: what the fault breaks. */
  breaks: string;
  /** Check ids that must fail when this fault is on (filled in by the fault catalogue work). */
  catches: string[];
}

export const FAULTS = [
  { name: 'empty-filter-404', breaks: 'answers 404 instead of an empty ListResponse when a filter matches nothing', catches: [] },
  { name: 'username-case-sensitive', breaks: 'compares userName case-sensitively in filters although RFC 7643 makes it caseExact false', catches: [] },
  { name: 'patch-op-case-sensitive', breaks: 'rejects the capitalised PATCH ops Entra sends (Add/Replace/Remove) with 400; only lowercase is accepted', catches: [] },
  { name: 'delete-200', breaks: 'answers DELETE with 200 and a body instead of 204 No Content', catches: [] },
  { name: 'no-location', breaks: 'omits the Location header on 201 Created', catches: [] },
  { name: 'auth-not-enforced', breaks: 'accepts requests with a missing or wrong bearer token', catches: [] },
  { name: 'content-type-json', breaks: 'answers with Content-Type application/json instead of application/scim+json', catches: [] },
  { name: 'create-200', breaks: 'answers a successful POST with 200 instead of 201 Created', catches: [] },
  { name: 'unknown-id-500', breaks: 'answers 500 instead of 404 for a resource id that does not exist', catches: [] },
  { name: 'error-status-number', breaks: 'writes the Error `status` as a JSON number instead of a string', catches: [] },
  { name: 'filter-ignored', breaks: 'ignores the filter query parameter and returns every resource', catches: [] },
  { name: 'soft-delete', breaks: 'answers DELETE with 204 but keeps the resource readable', catches: [] },
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
