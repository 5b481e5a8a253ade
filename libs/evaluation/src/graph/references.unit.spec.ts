import type { FlagEnvironmentConfig } from '../model/flag.types';
import { findPrerequisiteCycle, referencedSegments } from './references';

describe('referencedSegments', () => {
  it('lists segment keys from nested conditions once, in source order', () => {
    const config: FlagEnvironmentConfig = {
      on: true,
      offVariant: 'off',
      fallthrough: { variant: 'on' },
      rules: [
        { id: 'r1', condition: { all: [{ attribute: 'k', operator: 'segment', values: ['b', 'a'] }, { not: { attribute: 'k', operator: 'segment', values: ['c'] } }] }, serve: { variant: 'on' } },
        { id: 'r2', condition: { any: [{ attribute: 'k', operator: 'segment', values: ['a', 'd'] }, { attribute: 'k', operator: 'in', values: ['e'] }] }, serve: { variant: 'on' } },
      ],
    };
    expect(referencedSegments(config)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('returns nothing for a configuration without rules', () => {
    expect(referencedSegments({ on: true, offVariant: 'off', fallthrough: { variant: 'on' } })).toEqual([]);
  });
});

describe('findPrerequisiteCycle', () => {
  it('returns undefined for an acyclic graph', () => {
    expect(findPrerequisiteCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeUndefined();
  });

  it('returns the cycle path, closed on its first key', () => {
    expect(findPrerequisiteCycle(new Map([['a', ['b']], ['b', ['a']]]))).toEqual(['a', 'b', 'a']);
    expect(findPrerequisiteCycle(new Map([['x', ['a']], ['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('finds self-loops', () => expect(findPrerequisiteCycle(new Map([['a', ['a']]]))).toEqual(['a', 'a']));

  it('handles edges to flags without entries and long chains without recursion', () => {
    const long = new Map<string, string[]>(Array.from({ length: 50_000 }, (_, i) => [`f${i}`, [`f${i + 1}`]]));
    expect(findPrerequisiteCycle(long)).toBeUndefined();
    long.set('f50000', ['f0']);
    expect(findPrerequisiteCycle(long)).toHaveLength(50_002);
  });
});
