// What the main process hands to every spec file: the endpoint under test and the run's
// settings. Provided by src/global-setup.ts, read by src/suite.ts.
import { randomBytes } from 'node:crypto';
import type { Credentials } from './auth.ts';
import type { Profile } from './config.ts';
import type { Mapping } from './mapping.ts';

export interface Target {
  baseUrl: string;
  /** The bearer token (the Secret Token, or the built-in server's); '' when `credentials` are Basic or OAuth. */
  token: string;
  /** The tenant's attribute mapping (SCIM_MAPPING); absent means every attribute the suite sends is mapped. */
  mapping?: Mapping;
  /** Basic or OAuth credentials, which take the token's place (SCIM_AUTH). */
  credentials?: Credentials;
  profile: Profile;
  timeoutMs: number;
  retries: number;
  groups: boolean;
  /** In every name the run creates, so that leftovers can be found and runs never collide. */
  runId: string;
  /** True when the run talks to the built-in reference server. */
  embedded: boolean;
  /**
   * Read-only mode (SCIM_READ_ONLY): only GET requests are sent; checks that write are skipped as
   * not applicable, and the client refuses anything but GET. Reports should say so. Absent means false.
   */
  readOnly?: boolean;
  /** In read-only mode, the userName of an existing user the read-only lookups (RO-..) look up. */
  readOnlyUserName?: string;
  /** The initial-sync load step (specs/07, SCIM_LOAD=1); absent when it is off. */
  load?: LoadSettings;
  /** The shape of the users the run creates (SCIM_USERNAME_TEMPLATE, SCIM_EMAIL_DOMAIN); absent means DEFAULT_TEST_DATA. */
  testData?: TestData;
}

/**
 * How the users the run creates look, as an admin shapes the test users of Microsoft's SCIM
 * validator: the userName is a template around the run-unique name, the emails are in a domain.
 */
export interface TestData {
  /** `{name}` stands for the run-unique name (scimc-20261128t1345-k3f9a2-create-3) and comes first, so cleanup finds what the run made. */
  userNameTemplate: string;
  /** The domain of the emails, e.g. work.example.com: <name>@<domain>. */
  emailDomain: string;
}

/** Today's shape: a mixed-case, UPN-like userName and a work email in an example domain. */
export const DEFAULT_TEST_DATA: Readonly<TestData> = { userNameTemplate: '{name}.Test_User@TestUser.example.com', emailDomain: 'work.example.com' };

/** How big and how fast the initial sync of the load step is (SCIM_LOAD_USERS, _GROUPS, _RATE, _CONCURRENCY). */
export interface LoadSettings {
  users: number;
  groups: number;
  /** Requests per second. */
  rate: number;
  /** Requests in flight at most. */
  concurrency: number;
}

declare module 'vitest' {
  interface ProvidedContext {
    target: Target;
  }
}

/** Why a check that writes did not run in read-only mode (src/check.ts). */
export const READ_ONLY_SKIP = 'read-only mode: this check writes to the tenant';

/** Set by the CLI for the vitest process it starts and supervises (src/run-suite.ts). */
export const SUPERVISED_ENV = 'SCIM_CONFORMANCE_CHILD';

/**
 * Set by the CLI for the vitest process it starts: the OAuth access token its preflight fetched
 * (JSON of an IssuedToken), so that the whole run asks the token endpoint once. An environment
 * variable, like SCIM_TOKEN itself: never a command-line argument, which `ps` shows.
 */
export const OAUTH_HANDOFF_ENV = 'SCIM_CONFORMANCE_OAUTH_TOKEN';

/** Every name the suite creates starts with this; `cleanup --all-runs` looks for it. */
export const RUN_PREFIX = 'scimc-';

/** A run id: the prefix, then lower-case letters, digits and dashes. Anything else could match names the suite never made. */
export const RUN_ID = /^scimc-[a-z0-9][a-z0-9-]{3,60}$/;

/** A short, sortable, unique run id: scimc-20261128t1345-k3f9a2 */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 13).toLowerCase();
  const random = BigInt(`0x${randomBytes(5).toString('hex')}`).toString(36).padStart(6, '0').slice(-6);
  return `${RUN_PREFIX}${stamp}-${random}`;
}

/** The run id from SCIM_RUN_ID (set by the CLI for the run it starts), or a new one. */
export function runIdFromEnv(value: string | undefined = process.env.SCIM_RUN_ID): string {
  if (value === undefined || value.trim() === '') return newRunId();
  const id = value.trim();
  if (!RUN_ID.test(id)) throw new Error(`SCIM_RUN_ID: "${id}" is not a run id like ${newRunId()} (scimc- then lower-case letters, digits and dashes)`);
  return id;
}
