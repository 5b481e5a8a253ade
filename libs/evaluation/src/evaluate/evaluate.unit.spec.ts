import { InMemoryFlagStore, evaluateFlag, evaluateTypedFlag, type FlagDefinition } from '../index';

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

describe('evaluateTypedFlag', () => {
  const store = new InMemoryFlagStore('production');
  const launch: FlagDefinition = {
    key: 'launch',
    type: 'boolean',
    variants: { on: true, off: false },
    environments: {
      production: {
        on: true,
        offVariant: 'off',
        rules: [{ id: 'after-launch', condition: { attribute: 'currentTime', operator: 'after', values: ['2026-06-01T00:00:00Z'] }, serve: { variant: 'on' } }],
        fallthrough: { variant: 'off' },
      },
    },
  };
  beforeAll(() => expect([...store.putFlag(flag), ...store.putFlag(launch)]).toEqual([]));

  it('answers a flag of another type with the default and TYPE_MISMATCH', () => {
    expect(evaluateTypedFlag(store, 'checkout', { targetingKey: 'alice' }, 'x', 'string', undefined)).toMatchObject({
      value: 'x',
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
      errorMessage: 'flag checkout is boolean, expected string',
    });
  });

  it('evaluates time clauses at the now it is given', () => {
    const before = Date.parse('2026-05-31T23:59:59Z');
    const after = Date.parse('2026-06-01T00:00:01Z');
    expect(evaluateTypedFlag(store, 'launch', {}, false, 'boolean', before)).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(evaluateTypedFlag(store, 'launch', {}, false, 'boolean', after)).toMatchObject({ value: true, ruleId: 'after-launch' });
  });

  it('gives what evaluateFlag gives for the same options', () => {
    const context = { targetingKey: 'bob', plan: 'beta' };
    expect(evaluateTypedFlag(store, 'checkout', context, false, 'boolean', undefined)).toEqual(
      evaluateFlag(store, 'checkout', context, false, { expectedType: 'boolean' }),
    );
  });
});
