// Small units whose behaviour the HTTP tests cannot pin down exactly.
import { describe, expect, it } from 'vitest';
import { createMonotonicClock } from '../../reference/clock.ts';
import { parseFilter } from '../../reference/filter.ts';

describe('monotonic clock', () => {
  it('never repeats a timestamp, even when the wall clock stands still or steps back', () => {
    const readings = [1_000, 1_000, 1_000, 999, 5_000];
    const clock = createMonotonicClock(() => readings.shift() ?? 5_000);
    const stamps = [clock(), clock(), clock(), clock(), clock()].map((s) => Date.parse(s));
    expect(stamps).toEqual([1_000, 1_001, 1_002, 1_003, 5_000]);
  });
});

describe('filter parsing', () => {
  it('keeps a sub-attribute after a value path inside that value path (one element must match both)', () => {
    expect(parseFilter('emails[type eq "work"].value eq "a@b.c"')).toEqual({
      op: '[]',
      attrPath: 'emails',
      valFilter: {
        op: 'and',
        filters: [
          { op: 'eq', attrPath: 'type', compValue: 'work' },
          { op: 'eq', attrPath: 'value', compValue: 'a@b.c' },
        ],
      },
    });
  });

  it('keeps precedence inside the value path: [a or b].value eq x is (a or b) and value eq x', () => {
    const ast = parseFilter('emails[type eq "work" or type eq "home"].value pr');
    expect(ast).toMatchObject({ op: '[]', valFilter: { op: 'and', filters: [{ op: 'or' }, { op: 'pr', attrPath: 'value' }] } });
  });

  it('reads true/false/null in any case (RFC 5234 literals), but not as attribute names', () => {
    expect(parseFilter('active eq False')).toEqual({ op: 'eq', attrPath: 'active', compValue: false });
    expect(parseFilter('nickName EQ NULL')).toEqual({ op: 'eq', attrPath: 'nickName', compValue: null });
    expect(parseFilter('True pr')).toEqual({ op: 'pr', attrPath: 'True' });
  });

  it('throws a 400 with the scimType asked for', () => {
    expect(() => parseFilter('userName eq')).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidFilter' }));
    expect(() => parseFilter('type eq', 'invalidPath')).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidPath' }));
  });
});
