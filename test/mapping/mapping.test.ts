// The attribute mapping (SCIM_MAPPING): the file is validated with one clear line per problem,
// it changes what the suite sends (asserted on the wire) and what it checks, and its custom
// extension attributes are proven to come back (CREATE-14), or shown missing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { applyMapping, readMapping } from '../../src/mapping.ts';
import { entraUser } from '../reference/helpers.ts';
import { TOKEN, runCli, tenantEnv } from '../hostile/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'scimc-mapping-'));
const servers: ReferenceServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const COST_CENTER = 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User:costCenter';
const CUSTOM_SCHEMA = 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User';

function mappingFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const byExternalId = {
  matchingAttribute: 'externalId',
  userAttributes: ['userName', 'active', 'externalId', 'name.givenName', 'name.familyName'],
  customAttributes: { [COST_CENTER]: 'CC-1001' },
  groups: false,
};


/** The POST /Users bodies sent, but for CREATE-16's deliberately malformed JSON. */
function createBodies(received: ReadonlyArray<{ method: string; url: string; body: string }>): Array<Record<string, unknown>> {
  return received
    .filter((r) => r.method === 'POST' && r.url.endsWith('/Users'))
    .flatMap((r) => {
      try {
        return [JSON.parse(r.body) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
describe('the mapping file', () => {
  test('the shipped example (Entra\'s default mapping) is valid', () => {
    const mapping = readMapping('examples/mapping.entra-default.json');
    expect(mapping.matchingAttribute).toBe('userName');
    expect(mapping.userAttributes).toContain('emails[type eq "work"].value');
    expect(mapping.groups).toBe(true);
  });

  test.each([
    ['a file that does not exist', join(dir, 'nope.json'), /nope\.json cannot be read \(ENOENT\); give the path of a mapping file such as examples\/mapping\.entra-default\.json/],
    ['invalid JSON', mappingFile('broken.json', '{"matchingAttribute": '), /broken\.json is not valid JSON: /],
    ['an unknown matching attribute', mappingFile('mail.json', { ...byExternalId, matchingAttribute: 'mail' }), /mail\.json: \/matchingAttribute must be one of/],
    ['a misspelt attribute', mappingFile('typo.json', { ...byExternalId, userAttributes: ['userName', 'emails'] }), /typo\.json: \/userAttributes\/1 must be one of/],
    ['a custom attribute without a schema URN', mappingFile('custom.json', { ...byExternalId, customAttributes: { costCenter: 'x' } }), /custom\.json: .*costCenter/],
  ])('%s is one line naming the file and the problem (exit status 2 from the command)', async (_what, file, pattern) => {
    expect(() => readMapping(file)).toThrow(pattern);
    const result = await runCli(['--mapping', file], {});
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^scim-conformance: SCIM_MAPPING: /);
    expect(lines[0]).toMatch(pattern);
  });

  test('a body is cut to the mapped attributes and carries the custom attributes under their schema URN', () => {
    const mapping = readMapping(mappingFile('cut.json', byExternalId));
    const body = applyMapping(entraUser('cut@example.com') as Record<string, unknown>, mapping);
    expect(Object.keys(body).sort()).toEqual([CUSTOM_SCHEMA, 'active', 'externalId', 'meta', 'name', 'roles', 'schemas', 'userName'].sort());
    expect(body.name).toEqual({ givenName: 'givenName', familyName: 'familyName' });
    expect(body[CUSTOM_SCHEMA]).toEqual({ costCenter: 'CC-1001' });
    expect(body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', CUSTOM_SCHEMA]);
  });
});

describe('a run with a mapping', () => {
  async function runWith(mapping: unknown, faults: string[] = [], steps = '01,02,03') {
    const server = await startReferenceServer({ token: TOKEN, port: 0, faults });
    servers.push(server);
    const file = mappingFile(`run-${servers.length}.json`, mapping);
    const result = await runCli(['--mapping', file, '--steps', steps], tenantEnv(server.baseUrl, { SCIM_TIMEOUT_MS: '5000' }), { timeoutMs: 60_000 });
    return { result, received: server.received };
  }

  test('matching by externalId: only mapped attributes are sent, the custom attribute comes back (CREATE-14), Test Connection queries externalId', async () => {
    const { result, received } = await runWith(byExternalId);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const creates = createBodies(received);
    expect(creates.length).toBeGreaterThan(0);
    for (const body of creates) {
      expect(body.emails).toBeUndefined();
      expect(body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toBeUndefined();
      expect(body[CUSTOM_SCHEMA]).toEqual({ costCenter: 'CC-1001' });
    }
    expect(received.some((r) => /\/Users\?filter=externalId\+eq\+%22[0-9a-f-]{36}%22$/.test(r.url))).toBe(true);
    const summary = JSON.parse(readFileSync(join(result.reportDir, 'summary.json'), 'utf8')) as { checks: Array<{ id: string; status: string; message?: string }> };
    const status = (id: string) => summary.checks.find((c) => c.id === id);
    expect(status('CREATE-14')?.status).toBe('passed');
    // Checks of what the mapping does not write say so.
    expect(status('MATCH-09')).toMatchObject({ status: 'skipped', message: expect.stringContaining('not in the attribute mapping') });
  });

  test('an endpoint that drops the custom extension fails CREATE-14 (exit status 1)', async () => {
    const { result } = await runWith(byExternalId, ['custom-extension-dropped'], '02');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/× CREATE-14/);
    expect(result.stdout + result.stderr).toContain(`${COST_CENTER} in the 201 body`);
  });

  test('the shipped example plus a custom attribute: CREATE-14 passes against the clean reference server and fails when it drops the custom extension', async () => {
    const example = JSON.parse(readFileSync(new URL('../../examples/mapping.entra-default.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const mapping = { ...example, $schema: undefined, customAttributes: { [COST_CENTER]: 'CC-2002' } };
    const clean = await runWith(mapping, [], '02');
    expect(clean.result.code, clean.result.stdout + clean.result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(clean.result.reportDir, 'summary.json'), 'utf8')) as { checks: Array<{ id: string; status: string }> };
    expect(summary.checks.find((c) => c.id === 'CREATE-14')?.status).toBe('passed');
    const creates = createBodies(clean.received);
    expect(creates.some((body) => (body[CUSTOM_SCHEMA] as Record<string, unknown> | undefined)?.costCenter === 'CC-2002')).toBe(true);
    const broken = await runWith(mapping, ['custom-extension-dropped'], '02');
    expect(broken.result.code).toBe(1);
    expect(broken.result.stdout).toMatch(/× CREATE-14/);
  });

  test('matching by the work email: Test Connection queries emails[type eq "work"].value, and the run passes', async () => {
    const { result, received } = await runWith({ ...byExternalId, matchingAttribute: 'emails[type eq "work"].value', userAttributes: [...byExternalId.userAttributes, 'emails[type eq "work"].value'], customAttributes: {} }, [], '01,03');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(received.some((r) => r.url.includes('filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22'))).toBe(true);
  });
});
