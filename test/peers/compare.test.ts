// The peer calibration's own bookkeeping: the comparison names every difference with both
// statuses, and the expected file carries a reason and a source for every verdict but "passed".
// (The calibration itself runs outside vitest: npm run test:peers.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compare, PEERS, readExpected, type ExpectedCheck } from './run.ts';

describe('peer calibration: comparison with the expected file', () => {
  const expected: Record<string, ExpectedCheck> = {
    'CONN-01': { status: 'passed' },
    'CREATE-02': { status: 'failed', reason: 'no Location header', source: 'RFC 7644 §3.3' },
    'MATCH-18': { status: 'warned', reason: 'no scimType', source: 'RFC 7644 §3.12' },
  };

  test('equal statuses give no difference', () => {
    const actual = [
      { id: 'CONN-01', status: 'passed' as const },
      { id: 'CREATE-02', status: 'failed' as const },
      { id: 'MATCH-18', status: 'warned' as const },
    ];
    expect(compare(expected, actual)).toEqual([]);
  });

  test('a changed status is named with both statuses, in either direction', () => {
    const actual = [
      { id: 'CONN-01', status: 'failed' as const },
      { id: 'CREATE-02', status: 'passed' as const },
      { id: 'MATCH-18', status: 'warned' as const },
    ];
    expect(compare(expected, actual).map(({ id, expected: e, actual: a }) => ({ id, e, a }))).toEqual([
      { id: 'CONN-01', e: 'passed', a: 'failed' },
      { id: 'CREATE-02', e: 'failed', a: 'passed' },
    ]);
  });

  test('a check that did not run, and a check the file does not know, are differences too', () => {
    const actual = [
      { id: 'CONN-01', status: 'passed' as const },
      { id: 'CREATE-02', status: 'failed' as const },
      { id: 'GROUP-99', status: 'passed' as const },
    ];
    expect(compare(expected, actual).map(({ id, expected: e, actual: a }) => ({ id, e, a }))).toEqual([
      { id: 'GROUP-99', e: 'absent', a: 'passed' },
      { id: 'MATCH-18', e: 'warned', a: 'absent' },
    ]);
  });
});

describe('peer calibration: the expected file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peer-expected-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('scimmy.expected.json is the default expected file', () => {
    expect(readExpected().peer).toBe('scimmy');
  });

  const runs = PEERS.flatMap((p) => Object.entries(p.expectedFiles).map(([profile, file]) => [p.name, profile, file!] as const));
  test.each(runs)('%s under %s: its expected file is well formed: every non-pass has a reason and a source', (name, profile, path) => {
    const file = readExpected(path);
    expect(file.peer).toBe(name);
    expect(file.profile).toBe(profile);
    expect(Object.keys(file.checks).length).toBeGreaterThan(0);
  });

  test('a failed entry without a source is refused', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ peer: 'x', versions: {}, profile: 'entra', checks: { 'CREATE-02': { status: 'failed', reason: 'no Location' } } }));
    expect(() => readExpected(path)).toThrow(/CREATE-02: a failed check needs a reason and a source/);
  });

  test('an unknown status is refused', () => {
    const path = join(dir, 'bad-status.json');
    writeFileSync(path, JSON.stringify({ peer: 'x', versions: {}, profile: 'entra', checks: { 'CONN-01': { status: 'pass' } } }));
    expect(() => readExpected(path)).toThrow(/CONN-01: status "pass"/);
  });
});
