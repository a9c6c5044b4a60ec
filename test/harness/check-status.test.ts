// The one status rule every output reads (src/check-status.ts).
import { describe, expect, it } from 'vitest';
import { checkStatus } from '../../src/check-status.ts';

describe('a check status', () => {
  it("is vitest's state, with a recorded warning refining a pass", () => {
    expect(checkStatus('pass', { status: 'passed' })).toBe('passed');
    expect(checkStatus('pass', { status: 'warned', message: 'm' })).toBe('warned');
    expect(checkStatus('fail', { status: 'failed', message: 'm' })).toBe('failed');
    expect(checkStatus('skip', { status: 'skipped', skip: 'blocked' })).toBe('skipped');
  });

  it('is failed when vitest failed the test though check() recorded a pass (a hook or timeout after the check)', () => {
    expect(checkStatus('fail', { status: 'passed' })).toBe('failed');
    expect(checkStatus('fail', undefined)).toBe('failed');
  });

  it('is skipped when the test never ran', () => {
    expect(checkStatus(undefined, undefined)).toBe('skipped');
    expect(checkStatus('todo', undefined)).toBe('skipped');
  });
});
