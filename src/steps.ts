// The tutorial steps, in the order the Entra ID provisioning tutorial walks them.
// A check id's prefix names its step (CONN-01 belongs to test-connection).

export interface Step {
  /** Two-digit number, also the spec file's prefix: specs/01-test-connection.spec.ts */
  number: string;
  name: string;
  title: string;
  checkPrefix: string;
  /** Its checks send nothing but GET requests, so they run in read-only mode (SCIM_READ_ONLY). */
  readOnly?: true;
}

export const STEPS: readonly Step[] = [
  { number: '00', name: 'discovery', title: 'Discovery', checkPrefix: 'DISC', readOnly: true },
  { number: '01', name: 'test-connection', title: 'Test Connection', checkPrefix: 'CONN', readOnly: true },
  { number: '02', name: 'create-user', title: 'Create user', checkPrefix: 'CREATE' },
  { number: '03', name: 'match-user', title: 'Match user (matching attribute lookup)', checkPrefix: 'MATCH' },
  { number: '04', name: 'update-user', title: 'Update user (PATCH)', checkPrefix: 'PATCH' },
  { number: '05', name: 'deactivate-user', title: 'Deactivate and delete user', checkPrefix: 'DEACT' },
  { number: '06', name: 'group-membership', title: 'Group membership', checkPrefix: 'GROUP' },
  // Off unless SCIM_LOAD=1 (--load): its checks are skipped as not applicable otherwise.
  { number: '07', name: 'initial-sync', title: 'Initial sync under load', checkPrefix: 'LOAD' },
  // Runs only in read-only mode, for production tenants: a full run covers lookups in 03.
  { number: '08', name: 'read-only-lookup', title: 'Read-only lookup of an existing user', checkPrefix: 'RO', readOnly: true },
  // The rfc profile's checks of RFC 7644 features no client sends; not applicable to the other profiles.
  { number: '09', name: 'rfc-protocol', title: 'RFC 7644 protocol beyond the clients', checkPrefix: 'RFC' },
];

export function stepOfCheck(checkId: string): Step {
  const prefix = checkId.split('-')[0];
  const step = STEPS.find((s) => s.checkPrefix === prefix);
  if (!step) throw new Error(`check id ${checkId} has no known step prefix (${STEPS.map((s) => s.checkPrefix).join(', ')})`);
  return step;
}

/** Finds a step by number ("04", "4") or name ("update-user"). */
export function findStep(token: string): Step | undefined {
  const t = token.trim().toLowerCase();
  return STEPS.find((s) => s.name === t || s.number === t || s.number === t.padStart(2, '0'));
}

export function specFileOf(step: Step): string {
  return `specs/${step.number}-${step.name}.spec.ts`;
}
