import { defaultEnvironmentConfig, type ExistingFlag } from '@flagpole/domain';
import { diffAggregate } from './aggregate-diff';
import { diffJson } from './json-diff';

describe('diffJson', () => {
  it('lists changed, added and removed members with JSON-pointer paths, keys in order', () => {
    expect(diffJson({ a: 1, b: { c: 'x', d: true }, z: 0 }, { a: 2, b: { c: 'x', e: null }, z: 0 })).toEqual([
      { op: 'replace', path: '/a', before: 1, after: 2 },
      { op: 'remove', path: '/b/d', before: true },
      { op: 'add', path: '/b/e', after: null },
    ]);
  });

  it('reports nothing for equal documents, whatever their key order', () => {
    expect(diffJson({ a: [1, { b: 2, c: 3 }] }, { a: [1, { c: 3, b: 2 }] })).toEqual([]);
  });

  it('matches rules by id: one edited, one added, one removed, and the new order', () => {
    const us = { id: 'us', condition: { attribute: 'country', operator: 'in', values: ['US'] }, serve: { variant: 'on' } };
    const beta = { id: 'beta', condition: { attribute: 'plan', operator: 'in', values: ['beta'] }, serve: { variant: 'on' } };
    const ca = { id: 'ca', condition: { attribute: 'country', operator: 'in', values: ['CA'] }, serve: { variant: 'on' } };
    const old = { id: 'old', condition: { attribute: 'x', operator: 'exists', values: [] }, serve: { variant: 'off' } };
    const diff = diffJson({ rules: [us, beta, old] }, { rules: [beta, { ...us, serve: { variant: 'off' } }, ca] });
    expect(diff).toEqual([
      { op: 'replace', path: '/rules[id=us]/serve/variant', before: 'on', after: 'off' },
      { op: 'add', path: '/rules[id=ca]', after: ca },
      { op: 'remove', path: '/rules[id=old]', before: old },
      { op: 'move', path: '/rules', before: ['us', 'beta'], after: ['beta', 'us'] },
    ]);
  });

  it('matches rollout variants by variant and prerequisites by flag', () => {
    const before = { variants: [{ variant: 'on', weight: 10 }, { variant: 'off', weight: 90 }], prerequisites: [{ flag: 'a', variants: ['on'] }] };
    const after = { variants: [{ variant: 'on', weight: 50 }, { variant: 'off', weight: 50 }], prerequisites: [{ flag: 'a', variants: ['on', 'x'] }] };
    expect(diffJson(before, after)).toEqual([
      { op: 'replace', path: '/prerequisites[flag=a]/variants', before: ['on'], after: ['on', 'x'] },
      { op: 'replace', path: '/variants[variant=on]/weight', before: 10, after: 50 },
      { op: 'replace', path: '/variants[variant=off]/weight', before: 90, after: 50 },
    ]);
  });

  it('treats lists of plain values as one value', () => {
    expect(diffJson({ tags: ['a', 'b'] }, { tags: ['b', 'c'] })).toEqual([{ op: 'replace', path: '/tags', before: ['a', 'b'], after: ['b', 'c'] }]);
  });

  it('escapes keys: ~ / and the brackets of keyed segments', () => {
    expect(diffJson({}, { 'a/b~c[d]': 1 })).toEqual([{ op: 'add', path: '/a~1b~0c~2d~3', after: 1 }]);
  });

  it('an object replaced by a primitive is one replacement', () => {
    expect(diffJson({ a: { b: 1 } }, { a: 'x' })).toEqual([{ op: 'replace', path: '/a', before: { b: 1 }, after: 'x' }]);
  });
});

describe('diffAggregate', () => {
  const flag: ExistingFlag = {
    status: 'active',
    version: 3,
    key: 'checkout',
    type: 'boolean',
    variants: { on: true, off: false },
    onVariant: 'on',
    offVariant: 'off',
    metadata: { name: 'Checkout', description: '', kind: 'release', owner: 'team-a', tags: ['web'], expiresAt: null },
    environments: {},
  };

  it('shows a first toggle in an environment against its default configuration', () => {
    const toggled = { ...flag, version: 4, environments: { production: { ...defaultEnvironmentConfig(flag), on: true } } };
    expect(diffAggregate('flag', flag, toggled)).toEqual([{ op: 'replace', path: '/environments/production/on', before: false, after: true }]);
  });

  it('flattens metadata and leaves the version out', () => {
    const renamed = { ...flag, version: 4, metadata: { ...flag.metadata, owner: 'team-b' } };
    expect(diffAggregate('flag', flag, renamed)).toEqual([{ op: 'replace', path: '/owner', before: 'team-a', after: 'team-b' }]);
  });

  it('lists every field of a new aggregate', () => {
    const diff = diffAggregate('environment', { status: 'absent', version: 0 }, { status: 'active', version: 1, key: 'prod', name: 'Prod', description: '', production: true });
    expect(diff.map((d) => [d.op, d.path])).toEqual([
      ['add', '/description'],
      ['add', '/key'],
      ['add', '/name'],
      ['add', '/production'],
      ['add', '/status'],
    ]);
  });
});
