import { InMemoryFlagStore, evaluateFlag, type FlagDefinition } from '../index';

const flag: FlagDefinition = {
  key: 'checkout',
  type: 'boolean',
  variants: { on: true, off: false },
  environments: {
    production: {
      on: true,
      offVariant: 'off',
      targets: [{ variant: 'on', values: ['alice'] }],
      rules: [{ id: 'beta', condition: { attribute: 'plan', operator: 'in', values: ['beta'] }, serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    },
  },
};

describe('evaluateFlag', () => {
  const store = new InMemoryFlagStore('production');
  beforeAll(() => expect(store.putFlag(flag)).toEqual([]));

  it('serves an individual target with TARGETING_MATCH and no rule id', () => {
    expect(evaluateFlag(store, 'checkout', { targetingKey: 'alice' }, false)).toEqual({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
  });

  it('serves a matching rule with its id', () => {
    expect(evaluateFlag(store, 'checkout', { targetingKey: 'bob', plan: 'beta' }, false)).toEqual({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      ruleId: 'beta',
    });
  });

  it('serves the fallthrough with DEFAULT', () => {
    expect(evaluateFlag(store, 'checkout', { targetingKey: 'bob' }, true)).toEqual({ value: false, variant: 'off', reason: 'DEFAULT' });
  });

  it('answers an unknown flag with the default and FLAG_NOT_FOUND', () => {
    expect(evaluateFlag(store, 'nope', {}, 'x')).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });
});
