// Shared helpers for the reference server tests: start a server, talk SCIM to it with fetch.
import { request as httpRequest } from 'node:http';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';

export const TOKEN = 'reference-test-token';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

export function start(faults: string[] = []): Promise<ReferenceServer> {
  return startReferenceServer({ token: TOKEN, faults });
}

/** One SCIM request. `headers` replace the defaults entirely when given with `replaceHeaders`. */
export async function scim(
  server: ReferenceServer,
  method: string,
  path: string,
  body?: unknown,
  options: { headers?: Record<string, string>; replaceHeaders?: boolean } = {},
): Promise<Answer> {
  const defaults: Record<string, string> = { Authorization: `Bearer ${TOKEN}`, Accept: 'application/scim+json' };
  if (body !== undefined) defaults['Content-Type'] = 'application/scim+json';
  const headers = options.replaceHeaders ? (options.headers ?? {}) : { ...defaults, ...options.headers };
  const response = await fetch(server.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Json;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A GET whose request target goes on the wire byte for byte (fetch would percent-encode raw quotes). */
export function rawGet(server: ReferenceServer, pathAndQuery: string): Promise<{ status: number; body: Json }> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'GET', path: url.pathname + pathAndQuery, headers: { Authorization: `Bearer ${TOKEN}` } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The user Entra creates (wire-reference.md §3). */
export function entraUser(userName: string, extra: Record<string, unknown> = {}): Json {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: `ext-${userName}`,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    [ENTERPRISE]: { employeeNumber: '1001', department: 'Sales', manager: '123456' },
    ...extra,
  };
}

export const patchOp = (...operations: Json[]): Json => ({ schemas: [PATCH_OP], Operations: operations });

export async function createUser(server: ReferenceServer, userName: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const answer = await scim(server, 'POST', '/Users', entraUser(userName, extra));
  if (answer.status !== 201) throw new Error(`creating ${userName}: ${answer.status} ${answer.text}`);
  return answer.body;
}

export async function createGroup(server: ReferenceServer, displayName: string, members: string[] = []): Promise<Json> {
  const answer = await scim(server, 'POST', '/Groups', {
    schemas: [GROUP_SCHEMA, ADSCIM_GROUP],
    externalId: `ext-${displayName}`,
    displayName,
    meta: { resourceType: 'Group' },
    ...(members.length > 0 ? { members: members.map((value) => ({ value })) } : {}),
  });
  if (answer.status !== 201) throw new Error(`creating group ${displayName}: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** Asserts nothing by itself: returns the parts of a SCIM Error the tests compare. */
export const errorOf = (answer: Answer) => ({ status: answer.status, bodyStatus: answer.body?.status, scimType: answer.body?.scimType, schemas: answer.body?.schemas });

export const filterQuery = (filter: string) => `?filter=${encodeURIComponent(filter)}`;
