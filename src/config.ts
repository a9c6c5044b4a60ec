// The one place configuration is read and validated: .env (never overriding the real
// environment), then the environment, then command-line flags. A bad value stops the run
// before any request, with one line naming the variable, the problem and the fix.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import { AUTH_METHODS, type AuthMethod, type Credentials } from './auth.ts';
import { MappingError, readMapping, type Mapping } from './mapping.ts';
import { STEPS, findStep, type Step } from './steps.ts';
import { DEFAULT_TEST_DATA } from './target.ts';

export const PROFILES = ['entra', 'entra-2020', 'okta', 'rfc'] as const;
export type Profile = (typeof PROFILES)[number];

export interface Config {
  /** Base URL as typed in Entra's Tenant URL field; undefined runs the built-in reference server. */
  tenantUrl?: string;
  token?: string;
  /** How the suite authenticates: the bearer Secret Token (default), HTTP Basic, or OAuth client credentials. */
  auth: AuthMethod;
  basicUsername?: string;
  basicPassword?: string;
  oauthTokenUrl?: string;
  oauthClientId?: string;
  oauthClientSecret?: string;
  oauthScope?: string;
  profile: Profile;
  timeoutMs: number;
  /** How often a request answered 429/503 is retried. */
  retries: number;
  /** Spec files run at once (vitest maxWorkers): the checks' requests in flight. */
  concurrency: number;
  steps: readonly Step[];
  groups: boolean;
  /** The tenant's attribute mapping (SCIM_MAPPING); absent means Entra's default, every attribute the suite sends. */
  mapping?: Mapping;
  /** The userName of the users the run creates: `{name}` (first) is the run-unique name. */
  userNameTemplate: string;
  /** The domain of the emails of the users the run creates. */
  emailDomain: string;
  reportDir: string;
  /** Sending the token over plain http:// to a host that is not loopback needs this. */
  allowInsecureHttp: boolean;
  /** Production tenants: send nothing but GET requests; checks that write are skipped. */
  readOnly: boolean;
  /** userName of an existing user that the read-only lookups (specs/08) look up. */
  readOnlyUserName?: string;
  /** Run the initial-sync load step (specs/07). */
  load: boolean;
  /** Users, groups, requests per second and requests in flight of the load step. */
  loadUsers: number;
  loadGroups: number;
  loadRate: number;
  loadConcurrency: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, string | undefined>;

interface Setting<K extends keyof Config> {
  env: string;
  flag: string;
  /** Boolean settings are plain flags on the command line (--groups / --no-groups). */
  boolean?: true;
  /** A secret: from the environment or .env only, never a flag (shell history and ps would show it). */
  secret?: true;
  /** One line for .env.example, --help and the README. */
  doc: string;
  example: string;
  parse: (value: string | undefined, env: string) => Config[K];
}

function parseTenantUrl(value: string | undefined, env: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ConfigError(env, `"${text}" has no scheme; write the full URL as in the Entra Tenant URL field, e.g. https://${text.replace(/^\/+/, '')}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(env, `"${text}" is not a valid URL; write it as e.g. https://scim.example.com/scim/v2`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(env, `scheme "${url.protocol}" is not supported; use https:// (or http:// for a local server)`);
  }
  if (url.username || url.password) {
    throw new ConfigError(env, 'the URL carries credentials; remove them and put the secret in SCIM_TOKEN');
  }
  if (url.hash) throw new ConfigError(env, `"${text}" has a #fragment, which is never sent to the server; remove it`);
  return text;
}

function parseToken(value: string | undefined, env: string): string | undefined {
  if (value === undefined) return undefined;
  const token = value.trim();
  if (token === '') return undefined;
  if (/^bearer\s/i.test(token)) throw new ConfigError(env, 'starts with "Bearer "; give the token alone, the suite adds the scheme');
  if (/\s/.test(token)) throw new ConfigError(env, 'contains white space; copy the Secret Token exactly, without line breaks');
  if (token.length < 8) throw new ConfigError(env, `is ${token.length} characters long; a Secret Token is at least 8 characters, check that it was copied whole`);
  return token;
}

function parseAuth(value: string | undefined, env: string): AuthMethod {
  const text = (value ?? '').trim().toLowerCase() || 'bearer';
  if (!(AUTH_METHODS as readonly string[]).includes(text)) throw new ConfigError(env, `unknown method "${value}"; use one of ${AUTH_METHODS.join(', ')}`);
  return text as AuthMethod;
}

function parseSecret(value: string | undefined, env: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (/[\r\n]/.test(value)) throw new ConfigError(env, 'contains a line break; give the secret on one line');
  return value;
}

function parseHttpsUrl(value: string | undefined, env: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(env, `"${value}" is not a valid URL; write it as e.g. https://login.example.com/oauth2/token`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new ConfigError(env, `is ${url.protocol}// to ${url.hostname}; the client secret is only sent over https:// (or to a loopback host)`);
  }
  return url.href;
}

function parseProfile(value: string | undefined, env: string): Profile {
  const text = (value ?? 'entra').trim().toLowerCase() || 'entra';
  if (!(PROFILES as readonly string[]).includes(text)) {
    throw new ConfigError(env, `unknown profile "${value}"; use one of ${PROFILES.join(', ')}`);
  }
  return text as Profile;
}

function parseInteger(min: number, max: number, fallback: number, unit: string) {
  return (value: string | undefined, env: string): number => {
    if (value === undefined || value.trim() === '') return fallback;
    const text = value.trim();
    if (!/^\d+$/.test(text)) throw new ConfigError(env, `"${value}" is not a whole number of ${unit}; use e.g. ${fallback}`);
    const n = Number(text);
    if (n < min || n > max) throw new ConfigError(env, `${n} is out of range; use ${min} to ${max} ${unit}`);
    return n;
  };
}

function parseSteps(value: string | undefined, env: string): readonly Step[] {
  if (value === undefined || value.trim() === '' || value.trim().toLowerCase() === 'all') return STEPS;
  const chosen: Step[] = [];
  for (const token of value.split(',')) {
    if (token.trim() === '') continue;
    const step = findStep(token);
    if (!step) {
      throw new ConfigError(env, `unknown step "${token.trim()}"; use numbers or names from ${STEPS.map((s) => `${s.number}=${s.name}`).join(', ')}`);
    }
    if (!chosen.includes(step)) chosen.push(step);
  }
  if (chosen.length === 0) throw new ConfigError(env, 'names no step; leave it empty to run every step');
  return STEPS.filter((s) => chosen.includes(s));
}

function parseBoolean(fallback: boolean) {
  return (value: string | undefined, env: string): boolean => {
    if (value === undefined || value.trim() === '') return fallback;
    const text = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(text)) return true;
    if (['0', 'false', 'no', 'off'].includes(text)) return false;
    throw new ConfigError(env, `"${value}" is not a yes/no value; use true or false`);
  };
}

function parseOptionalText(value: string | undefined, env: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new ConfigError(env, 'contains a control character (a line break?); give the value on one line');
  return value.trim();
}

function parseMapping(value: string | undefined, env: string): Mapping | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  try {
    return readMapping(value.trim());
  } catch (error) {
    if (error instanceof MappingError) throw new ConfigError(env, error.message);
    throw error;
  }
}

/** A userName template: `{name}` first (cleanup finds the run's users by that prefix), nothing a filter would have to escape. */
function parseUserNameTemplate(value: string | undefined, env: string): string {
  if (value === undefined || value.trim() === '') return DEFAULT_TEST_DATA.userNameTemplate;
  const text = value.trim();
  if (/[\u0000-\u001f\u007f\s]/.test(text)) throw new ConfigError(env, `"${text}" contains white space or a control character; a userName template is one word, e.g. {name}@contoso.com`);
  if (/["\\]/.test(text)) throw new ConfigError(env, `"${text}" contains a double quote or a backslash, which every filter on the userName would have to escape; leave them out`);
  const unknown = text.match(/\{(?!name\})[^}]*\}?/);
  if (unknown) throw new ConfigError(env, `"${text}" has the placeholder "${unknown[0]}"; only {name} (the run-unique name) is replaced`);
  if (!text.startsWith('{name}')) {
    throw new ConfigError(env, `"${text}" does not start with {name}; the run-unique name comes first so that cleanup can find the users the run created, e.g. {name}@contoso.com`);
  }
  return text;
}

/** An email domain: DNS labels of letters, digits and hyphens, at least two of them. */
function parseEmailDomain(value: string | undefined, env: string): string {
  if (value === undefined || value.trim() === '') return DEFAULT_TEST_DATA.emailDomain;
  const text = value.trim();
  if (text.startsWith('@')) throw new ConfigError(env, `"${text}" starts with "@"; give the domain alone, e.g. ${text.slice(1) || 'contoso.com'}`);
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  if (text.length > 253 || !new RegExp(`^${label}(?:\\.${label})+$`, 'i').test(text)) {
    throw new ConfigError(env, `"${text}" is not a domain name; write it as e.g. contoso.com (letters, digits, hyphens and dots)`);
  }
  return text;
}

function parseReportDir(value: string | undefined): string {
  return value === undefined || value.trim() === '' ? 'reports' : value.trim();
}

export const SETTINGS: { [K in keyof Config]-?: Setting<K> } = {
  tenantUrl: {
    env: 'SCIM_TENANT_URL',
    flag: 'tenant-url',
    doc: 'SCIM base URL as typed in the Entra Tenant URL field (path prefix kept); Entra\'s flag ?aadOptscim062020 on it selects the entra-2020 profile unless SCIM_PROFILE says otherwise, and is not sent with the requests (as Entra does not); empty runs the built-in reference server',
    example: 'https://scim.example.com/scim/v2',
    parse: parseTenantUrl,
  },
  token: {
    env: 'SCIM_TOKEN',
    flag: 'token',
    doc: 'the Secret Token sent as "Authorization: Bearer <token>" (environment or .env only, never a flag); never written to any log or report',
    example: 'paste-the-secret-token-here',
    secret: true,
    parse: parseToken,
  },
  auth: {
    env: 'SCIM_AUTH',
    flag: 'auth',
    doc: 'how the suite authenticates: bearer (the Secret Token, default), basic (SCIM_BASIC_*), oauth (client credentials, SCIM_OAUTH_*)',
    example: 'bearer',
    parse: parseAuth,
  },
  basicUsername: {
    env: 'SCIM_BASIC_USERNAME',
    flag: 'basic-username',
    doc: 'with SCIM_AUTH=basic: the user name of HTTP Basic authentication',
    example: 'scim-client',
    parse: parseOptionalText,
  },
  basicPassword: {
    env: 'SCIM_BASIC_PASSWORD',
    flag: 'basic-password',
    doc: 'with SCIM_AUTH=basic: the password (environment or .env only, never a flag)',
    example: '',
    secret: true,
    parse: parseSecret,
  },
  oauthTokenUrl: {
    env: 'SCIM_OAUTH_TOKEN_URL',
    flag: 'oauth-token-url',
    doc: 'with SCIM_AUTH=oauth: the token endpoint that issues access tokens for the client credentials grant (https://)',
    example: 'https://login.example.com/oauth2/token',
    parse: parseHttpsUrl,
  },
  oauthClientId: {
    env: 'SCIM_OAUTH_CLIENT_ID',
    flag: 'oauth-client-id',
    doc: 'with SCIM_AUTH=oauth: the client id',
    example: 'scim-conformance',
    parse: parseOptionalText,
  },
  oauthClientSecret: {
    env: 'SCIM_OAUTH_CLIENT_SECRET',
    flag: 'oauth-client-secret',
    doc: 'with SCIM_AUTH=oauth: the client secret (environment or .env only, never a flag)',
    example: '',
    secret: true,
    parse: parseSecret,
  },
  oauthScope: {
    env: 'SCIM_OAUTH_SCOPE',
    flag: 'oauth-scope',
    doc: 'with SCIM_AUTH=oauth: the scope to ask for, if the token endpoint wants one',
    example: '',
    parse: parseOptionalText,
  },
  profile: {
    env: 'SCIM_PROFILE',
    flag: 'profile',
    doc: `which client to replay: ${PROFILES.join(', ')} (default entra)`,
    example: 'entra',
    parse: parseProfile,
  },
  timeoutMs: {
    env: 'SCIM_TIMEOUT_MS',
    flag: 'timeout-ms',
    doc: 'time limit for each request in milliseconds (default 30000; Entra gives up after 60000)',
    example: '30000',
    parse: parseInteger(100, 600_000, 30_000, 'milliseconds'),
  },
  retries: {
    env: 'SCIM_RETRIES',
    flag: 'retries',
    doc: 'how often a request answered 429 or 503 is retried, honouring Retry-After (default 3)',
    example: '3',
    parse: parseInteger(0, 10, 3, 'retries'),
  },
  concurrency: {
    env: 'SCIM_CONCURRENCY',
    flag: 'concurrency',
    doc: 'spec files run at once, each sending one request at a time (default 2; 1 for a tenant that throttles hard): docs/concurrency.md',
    example: '2',
    parse: parseInteger(1, 8, 2, 'spec files'),
  },
  steps: {
    env: 'SCIM_STEPS',
    flag: 'steps',
    doc: `which tutorial steps to run, by number or name, comma-separated (default all: ${STEPS.map((s) => s.number).join(',')})`,
    example: '01,02,03,04,05',
    parse: parseSteps,
  },
  groups: {
    env: 'SCIM_GROUPS',
    flag: 'groups',
    doc: 'whether the app provisions groups; false skips group checks for apps without group support (default true)',
    example: 'true',
    boolean: true,
    parse: parseBoolean(true),
  },
  mapping: {
    env: 'SCIM_MAPPING',
    flag: 'mapping',
    doc: 'a JSON file describing the tenant\'s attribute mapping (matching attribute, mapped attributes, custom extension attributes, groups); default Entra\'s default mapping. Example: examples/mapping.entra-default.json',
    example: 'examples/mapping.entra-default.json',
    parse: parseMapping,
  },
  userNameTemplate: {
    env: 'SCIM_USERNAME_TEMPLATE',
    flag: 'username-template',
    doc: `the userName of the users the suite creates, as in the Microsoft SCIM Validator's test user settings: {name} is replaced by the run-unique name and must come first (cleanup finds the run's users by it), e.g. {name}@contoso.com (default ${DEFAULT_TEST_DATA.userNameTemplate})`,
    example: DEFAULT_TEST_DATA.userNameTemplate,
    parse: parseUserNameTemplate,
  },
  emailDomain: {
    env: 'SCIM_EMAIL_DOMAIN',
    flag: 'email-domain',
    doc: `the domain of the emails of the users the suite creates, e.g. a domain the tenant accepts (default ${DEFAULT_TEST_DATA.emailDomain})`,
    example: DEFAULT_TEST_DATA.emailDomain,
    parse: parseEmailDomain,
  },
  reportDir: {
    env: 'SCIM_REPORT_DIR',
    flag: 'report-dir',
    doc: 'where reports are written (default reports/)',
    example: 'reports',
    parse: parseReportDir,
  },
  allowInsecureHttp: {
    env: 'SCIM_ALLOW_INSECURE_HTTP',
    flag: 'allow-insecure-http',
    doc: 'allow sending the token over plain http:// to a host that is not loopback (default false)',
    example: 'false',
    boolean: true,
    parse: parseBoolean(false),
  },
  readOnly: {
    env: 'SCIM_READ_ONLY',
    flag: 'read-only',
    doc: 'for production tenants: send only GET requests (discovery, Test Connection, lookup of SCIM_READ_ONLY_USERNAME); every check that writes is skipped (default false)',
    example: 'false',
    boolean: true,
    parse: parseBoolean(false),
  },
  readOnlyUserName: {
    env: 'SCIM_READ_ONLY_USERNAME',
    flag: 'read-only-username',
    doc: 'in read-only mode, the userName of an existing user to look up as Entra does before an update (checks RO-01..)',
    example: 'someone@example.com',
    parse: parseOptionalText,
  },
  load: {
    env: 'SCIM_LOAD',
    flag: 'load',
    doc: 'run the initial-sync load step (07, checks LOAD-01..): creates SCIM_LOAD_USERS users and SCIM_LOAD_GROUPS groups as Entra\'s first cycle does, measures rate and latency, deletes them (default false)',
    example: 'false',
    boolean: true,
    parse: parseBoolean(false),
  },
  loadUsers: {
    env: 'SCIM_LOAD_USERS',
    flag: 'load-users',
    doc: 'users the load step provisions (default 200)',
    example: '200',
    parse: parseInteger(1, 100_000, 200, 'users'),
  },
  loadGroups: {
    env: 'SCIM_LOAD_GROUPS',
    flag: 'load-groups',
    doc: 'groups the load step provisions, the users spread over them as members (default 5; 0 for none)',
    example: '5',
    parse: parseInteger(0, 10_000, 5, 'groups'),
  },
  loadRate: {
    env: 'SCIM_LOAD_RATE',
    flag: 'load-rate',
    doc: 'requests per second the load step sends at most (default 25, what Entra requires of gallery apps)',
    example: '25',
    parse: parseInteger(1, 1_000, 25, 'requests per second'),
  },
  loadConcurrency: {
    env: 'SCIM_LOAD_CONCURRENCY',
    flag: 'load-concurrency',
    doc: 'requests the load step has in flight at most (default 5)',
    example: '5',
    parse: parseInteger(1, 100, 5, 'requests'),
  },
};

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Entra's behaviour flags, written as a query on the Tenant URL: the provisioning service reads
 * them and sends its requests to the path without them. Each names the profile it selects.
 */
const ENTRA_URL_FLAGS: Record<string, Profile> = { aadoptscim062020: 'entra-2020', azureadscimpatch2017: 'entra' };

/** The Tenant URL without Entra's flags (other query parameters kept as typed), and the flags it carried. */
export function withoutEntraFlags(tenantUrl: string): { url: string; flags: string[] } {
  const at = tenantUrl.indexOf('?');
  if (at === -1) return { url: tenantUrl, flags: [] };
  const flags: string[] = [];
  const kept = tenantUrl
    .slice(at + 1)
    .split('&')
    .filter((part) => {
      const name = decodeURIComponentSafe(part.split('=')[0]!);
      if (name.toLowerCase() in ENTRA_URL_FLAGS) {
        flags.push(name);
        return false;
      }
      return part !== '';
    });
  if (flags.length === 0) return { url: tenantUrl, flags };
  return { url: `${tenantUrl.slice(0, at)}${kept.length ? `?${kept.join('&')}` : ''}`, flags };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Lines about the configuration to print when the run starts (e.g. the profile a Tenant URL flag chose). */
const NOTES = new WeakMap<Config, string[]>();
export function configNotes(config: Config): readonly string[] {
  return NOTES.get(config) ?? [];
}

function checkTransport(config: Config): void {
  if (!config.tenantUrl || config.allowInsecureHttp) return;
  const url = new URL(config.tenantUrl);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new ConfigError(
      'SCIM_TENANT_URL',
      `is plain http:// to ${url.hostname}, so the token would travel unencrypted; use https://, or set SCIM_ALLOW_INSECURE_HTTP=true (--allow-insecure-http) on a network you trust`,
    );
  }
}

/** Each authentication method with the settings it needs; the built-in reference server takes a bearer token only. */
function checkAuth(config: Config): void {
  if (config.auth === 'bearer') return;
  if (!config.tenantUrl) {
    throw new ConfigError('SCIM_AUTH', `is ${config.auth}, which needs a tenant (SCIM_TENANT_URL); the built-in reference server takes a bearer token`);
  }
  const needed: Array<keyof Config> = config.auth === 'basic' ? ['basicUsername', 'basicPassword'] : ['oauthTokenUrl', 'oauthClientId', 'oauthClientSecret'];
  const missing = needed.filter((key) => config[key] === undefined);
  if (missing.length > 0) throw new ConfigError(SETTINGS[missing[0]!].env, `is empty but SCIM_AUTH=${config.auth} needs it (and ${needed.map((k) => SETTINGS[k].env).join(', ')})`);
}

/** The credentials the run's requests carry, or undefined for the built-in reference server (its token comes with it). */
export function credentialsOf(config: Config): Credentials | undefined {
  if (!config.tenantUrl) return undefined;
  if (config.auth === 'basic') return { method: 'basic', username: config.basicUsername!, password: config.basicPassword! };
  if (config.auth === 'oauth') {
    return { method: 'oauth', tokenUrl: config.oauthTokenUrl!, clientId: config.oauthClientId!, clientSecret: config.oauthClientSecret!, ...(config.oauthScope && { scope: config.oauthScope }) };
  }
  return config.token ? { method: 'bearer', token: config.token } : undefined;
}

export interface ConfigSources {
  env?: Raw;
  /** Flag values by flag name (e.g. { 'tenant-url': '...' }), highest precedence. */
  flags?: Raw;
  /** The dotenv file; default .env in the working directory. A missing default file is fine. */
  envFile?: string;
}

/** Reads the dotenv file; values never override the real environment. */
function readEnvFile(path: string | undefined): Raw {
  const file = resolve(path ?? '.env');
  if (!existsSync(file)) {
    if (path) throw new ConfigError('SCIM_ENV_FILE', `${file} does not exist; create it from .env.example or unset SCIM_ENV_FILE`);
    return {};
  }
  return dotenv.parse(readFileSync(file));
}

/** One setting alone, from the same sources: for vitest.config.ts, which must not fail on the others. */
export function loadSetting<K extends keyof Config>(key: K, sources: ConfigSources = {}): Config[K] {
  const env = sources.env ?? process.env;
  const setting = SETTINGS[key] as unknown as Setting<K>;
  const fromFile = readEnvFile(sources.envFile ?? env.SCIM_ENV_FILE);
  return setting.parse(sources.flags?.[setting.flag] ?? env[setting.env] ?? fromFile[setting.env], setting.env);
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const fromFile = readEnvFile(sources.envFile ?? env.SCIM_ENV_FILE);
  const raw = (key: keyof Config): string | undefined => {
    const setting = SETTINGS[key];
    return sources.flags?.[setting.flag] ?? env[setting.env] ?? fromFile[setting.env];
  };
  const read = <K extends keyof Config>(key: K): Config[K] => {
    // TypeScript cannot correlate SETTINGS[key] with K by itself.
    const setting = SETTINGS[key] as unknown as Setting<K>;
    if (setting.secret && sources.flags?.[setting.flag] !== undefined) {
      throw new ConfigError(setting.env, `is a secret: set it in the environment or in .env, not as --${setting.flag} (shell history and the process list would show it)`);
    }
    return setting.parse(raw(key), setting.env);
  };

  const config: Config = {
    tenantUrl: read('tenantUrl'),
    token: read('token'),
    auth: read('auth'),
    basicUsername: read('basicUsername'),
    basicPassword: read('basicPassword'),
    oauthTokenUrl: read('oauthTokenUrl'),
    oauthClientId: read('oauthClientId'),
    oauthClientSecret: read('oauthClientSecret'),
    oauthScope: read('oauthScope'),
    profile: read('profile'),
    timeoutMs: read('timeoutMs'),
    retries: read('retries'),
    concurrency: read('concurrency'),
    steps: read('steps'),
    groups: read('groups'),
    mapping: read('mapping'),
    userNameTemplate: read('userNameTemplate'),
    emailDomain: read('emailDomain'),
    reportDir: read('reportDir'),
    allowInsecureHttp: read('allowInsecureHttp'),
    readOnly: read('readOnly'),
    readOnlyUserName: read('readOnlyUserName'),
    load: read('load'),
    loadUsers: read('loadUsers'),
    loadGroups: read('loadGroups'),
    loadRate: read('loadRate'),
    loadConcurrency: read('loadConcurrency'),
  };
  // Entra's flag on the Tenant URL: the profile it selects (unless one is given), and the URL the requests go to.
  const notes: string[] = [];
  if (config.tenantUrl) {
    const { url, flags } = withoutEntraFlags(config.tenantUrl);
    const flag = flags[flags.length - 1];
    if (flag !== undefined) {
      config.tenantUrl = url;
      const chosen = ENTRA_URL_FLAGS[flag.toLowerCase()]!;
      const explicit = (raw('profile') ?? '').trim() !== '';
      if (!explicit) config.profile = chosen;
      notes.push(
        explicit && config.profile !== chosen
          ? `the Tenant URL carries Entra's flag ?${flag}, but the profile is ${config.profile} as SCIM_PROFILE (--profile) says; the flag is not sent with the requests, as Entra does not send it`
          : `the Tenant URL carries Entra's flag ?${flag}: profile ${chosen}, as Entra behaves with that flag; the flag is not sent with the requests, as Entra does not send it`,
      );
    }
  }
  NOTES.set(config, notes);
  checkAuth(config);
  // The mapping says whether groups are provisioned, as the admin configured it.
  if (config.mapping?.groups !== undefined) config.groups = config.mapping.groups;
  if (config.tenantUrl && config.auth === 'bearer' && !config.token) {
    throw new ConfigError('SCIM_TOKEN', `is empty but SCIM_TENANT_URL is set; put the tenant's Secret Token in SCIM_TOKEN (in .env or the environment)`);
  }
  if (!config.tenantUrl && config.token) {
    throw new ConfigError('SCIM_TENANT_URL', 'is empty but SCIM_TOKEN is set; set the Tenant URL too, or unset SCIM_TOKEN to run against the built-in reference server');
  }
  checkTransport(config);
  return config;
}
