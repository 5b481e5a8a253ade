import type { FlagDefinition, FlagEnvironmentConfig } from '../model/flag.types';
import { validateEnvironmentConfig } from './environment.validation';
import { validateFlagDefinition } from './flag.validation';
import { validateSegment } from './segment.validation';
import { validateVariants } from './variants.validation';

const header = { key: 'checkout', type: 'string' as const, variants: { a: 'A', b: 'B', off: '' } };
const base: FlagEnvironmentConfig = { on: true, offVariant: 'off', fallthrough: { variant: 'a' } };

function problems(config: unknown, options?: Parameters<typeof validateEnvironmentConfig>[2]): string[] {
  return validateEnvironmentConfig(header, config, options).map((p) => `${p.path}: ${p.problem}`);
}

function nest(depth: number): unknown {
  let condition: unknown = { attribute: 'a', operator: 'exists', values: [] };
  for (let i = 0; i < depth; i++) condition = { not: condition };
  return condition;
}

describe('validateVariants', () => {
  it('accepts boolean variants named freely', () => expect(validateVariants('boolean', { on: true, off: false })).toEqual([]));
  it('rejects an empty variant set', () => {
    expect(validateVariants('boolean', {})).toEqual([{ path: 'variants', problem: 'needs at least one variant' }]);
  });
  it('rejects values of the wrong type, each with its path', () => {
    expect(validateVariants('number', { one: 1, two: '2', three: Number.NaN })).toEqual([
      { path: 'variants.two', problem: 'must be a finite number for a number flag, not string' },
      { path: 'variants.three', problem: 'must be a finite number for a number flag, not number' },
    ]);
  });
  it('rejects variant names outside the pattern', () => {
    expect(validateVariants('string', { 'has space': 'x' })[0]).toMatchObject({ path: 'variants["has space"]' });
  });
  it('rejects JSON values nested deeper than 32', () => {
    let value: unknown = 1;
    for (let i = 0; i < 40; i++) value = [value];
    expect(validateVariants('json', { deep: value as never })[0].problem).toMatch(/nested deeper than 32/);
  });
  it('rejects non-JSON values in json flags', () => {
    expect(validateVariants('json', { d: new Date(0) as never })[0].problem).toMatch(/not a JSON value/);
  });
});

describe('validateEnvironmentConfig', () => {
  it('accepts a minimal configuration', () => expect(problems(base)).toEqual([]));

  it('reports every missing required property and every unknown one', () => {
    expect(problems({ enabled: true })).toEqual([
      'on: is required',
      'offVariant: is required',
      'fallthrough: is required',
      'enabled: unknown property',
    ]);
  });

  it('rejects references to variants that do not exist', () => {
    expect(problems({ ...base, offVariant: 'nope', targets: [{ variant: 'c', values: ['u'] }] })).toEqual([
      'offVariant: variant "nope" does not exist',
      'targets[0].variant: variant "c" does not exist',
    ]);
  });

  it('rejects a rollout whose weights do not sum to 100000', () => {
    const fallthrough = { rollout: { variants: [{ variant: 'a', weight: 50_000 }, { variant: 'b', weight: 49_999 }] } };
    expect(problems({ ...base, fallthrough })).toEqual(['fallthrough.rollout.variants: weights sum to 99999, they must sum to the modulus 100000']);
  });

  it('accepts a rollout summing to a custom modulus', () => {
    const fallthrough = { rollout: { modulus: 1000, seed: 86028157, variants: [{ variant: 'a', weight: 1000 }, { variant: 'b', weight: 0 }] } };
    expect(problems({ ...base, fallthrough })).toEqual([]);
  });

  it('rejects negative and fractional weights', () => {
    const fallthrough = { rollout: { variants: [{ variant: 'a', weight: -1 }, { variant: 'b', weight: 0.5 }] } };
    expect(problems({ ...base, fallthrough })).toEqual([
      'fallthrough.rollout.variants[0].weight: weight must be a non-negative integer',
      'fallthrough.rollout.variants[1].weight: weight must be a non-negative integer',
    ]);
  });

  it('rejects a serve with both variant and rollout', () => {
    expect(problems({ ...base, fallthrough: { variant: 'a', rollout: {} } })).toEqual(['fallthrough: must have exactly one of variant or rollout']);
  });

  it('rejects duplicate rule ids', () => {
    const rule = { id: 'r1', condition: { all: [] }, serve: { variant: 'a' } };
    expect(problems({ ...base, rules: [rule, rule] })).toEqual(['rules[1].id: duplicate rule id "r1" (also rules[0])']);
  });

  it('reports the problems of every rule, with nested paths', () => {
    const rules = [
      { id: 'r1', condition: { all: [{ attribute: 'v', operator: 'semverGt', values: ['1.2'] }] }, serve: { variant: 'a' } },
      { id: 'r2', condition: { any: [{ attribute: '', operator: 'in', values: ['x'] }, { attribute: 'x', operator: 'like', values: [] }] }, serve: { variant: 'z' } },
    ];
    expect(problems({ ...base, rules })).toEqual([
      'rules[0].condition.all[0].values[0]: semver operator needs valid versions',
      'rules[1].condition.any[0].attribute: attribute must have 1 to 256 characters',
      'rules[1].condition.any[1].operator: unknown operator "like"',
      'rules[1].serve.variant: variant "z" does not exist',
    ]);
  });

  it('rejects attribute paths with empty segments', () => {
    const rules = [{ id: 'r', condition: { attribute: 'user..id', operator: 'exists', values: [] }, serve: { variant: 'a' } }];
    expect(problems({ ...base, rules })).toEqual(['rules[0].condition.attribute: attribute path has an empty segment']);
  });

  it('rejects conditions nested deeper than 10 without following them', () => {
    const rules = [{ id: 'r', condition: nest(100_000), serve: { variant: 'a' } }];
    const found = problems({ ...base, rules });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^rules\[0\]\.condition(\.not){10}: conditions nested deeper than 10$/);
  });

  it('accepts conditions nested exactly 10 deep', () => {
    expect(problems({ ...base, rules: [{ id: 'r', condition: nest(9), serve: { variant: 'a' } }] })).toEqual([]);
  });

  it('rejects oversized value lists with one problem, not one per value', () => {
    const values = Array.from({ length: 1001 }, (_, i) => i);
    const rules = [{ id: 'r', condition: { attribute: 'a', operator: 'in', values }, serve: { variant: 'a' } }];
    expect(problems({ ...base, rules })).toEqual(['rules[0].condition.values: has 1001 elements, at most 1000 allowed']);
  });

  it('rejects a condition with two combinators', () => {
    const rules = [{ id: 'r', condition: { all: [], any: [] }, serve: { variant: 'a' } }];
    expect(problems({ ...base, rules })).toEqual(['rules[0].condition: condition has all and any: exactly one is allowed']);
  });

  it('rejects unknown properties inside clauses', () => {
    const rules = [{ id: 'r', condition: { attribute: 'a', operator: 'exists', values: [], negate: true }, serve: { variant: 'a' } }];
    expect(problems({ ...base, rules })).toEqual(['rules[0].condition.negate: unknown property']);
  });

  it('rejects caseInsensitive on non-string operators', () => {
    const rules = [{ id: 'r', condition: { attribute: 'a', operator: 'lt', values: [1], caseInsensitive: true }, serve: { variant: 'a' } }];
    expect(problems({ ...base, rules })).toEqual(['rules[0].condition.caseInsensitive: caseInsensitive applies to string operators only, not lt']);
  });

  it('rejects a percentage threshold above the modulus', () => {
    const rules = [{ id: 'r', condition: { percentage: { modulus: 100, threshold: 101 } }, serve: { variant: 'a' } }];
    expect(problems({ ...base, rules })).toEqual(['rules[0].condition.percentage.threshold: must be an integer from 0 to 100']);
  });

  it('rejects segments that do not exist when segmentExists is given', () => {
    const rules = [{ id: 'r', condition: { attribute: 'key', operator: 'segment', values: ['beta', 'gone'] }, serve: { variant: 'a' } }];
    expect(problems({ ...base, rules }, { segmentExists: (key) => key === 'beta' })).toEqual([
      'rules[0].condition.values[1]: segment "gone" does not exist',
    ]);
    expect(problems({ ...base, rules })).toEqual([]);
  });

  it('rejects a flag that is its own prerequisite and unknown prerequisite variants', () => {
    const prerequisites = [{ flag: 'checkout', variants: ['a'] }, { flag: 'login', variants: ['on', 'maybe'] }, { flag: 'ghost', variants: ['on'] }];
    const known = (key: string) => (key === 'login' ? ['on', 'off'] : undefined);
    expect(problems({ ...base, prerequisites }, { prerequisiteVariants: known })).toEqual([
      'prerequisites[0].flag: a flag cannot be its own prerequisite',
      'prerequisites[1].variants[1]: the prerequisite flag has no variant "maybe"',
      'prerequisites[2].flag: flag "ghost" does not exist',
    ]);
  });

  it('reports a non-object configuration at the root', () => {
    expect(problems(null)).toEqual(['$: must be an object, not null']);
  });
});

describe('validateFlagDefinition', () => {
  const flag: FlagDefinition = {
    key: 'checkout',
    type: 'boolean',
    variants: { on: true, off: false },
    environments: { production: { on: true, offVariant: 'off', fallthrough: { variant: 'on' } } },
  };

  it('accepts a valid flag', () => expect(validateFlagDefinition(flag)).toEqual([]));

  it('prefixes environment problems with the environment key', () => {
    const broken = { ...flag, environments: { production: { ...flag.environments.production, rules: [{ id: 'r', condition: { all: [] }, serve: { variant: 'maybe' } }] } } };
    expect(validateFlagDefinition(broken)).toEqual([
      { path: 'environments.production.rules[0].serve.variant', problem: 'variant "maybe" does not exist' },
    ]);
  });

  it('reports problems in the key, the type and the variants together', () => {
    expect(validateFlagDefinition({ ...flag, key: 'no spaces', type: 'bool' }).map((p) => p.path)).toEqual(['key', 'type']);
    expect(validateFlagDefinition({ ...flag, variants: { on: 'yes', off: false } }).map((p) => p.path)).toEqual(['variants.on']);
  });

  it('rejects a non-object input', () => expect(validateFlagDefinition('flag')).toEqual([{ path: '$', problem: 'must be an object, not string' }]));
});

describe('validateSegment', () => {
  it('accepts lists and a condition', () => {
    expect(validateSegment({ key: 'beta', included: ['a'], excluded: ['b'], condition: { attribute: 'plan', operator: 'in', values: ['pro'] } })).toEqual([]);
  });

  it('rejects segment references inside segment conditions', () => {
    expect(validateSegment({ key: 's', condition: { attribute: 'k', operator: 'segment', values: ['t'] } })).toEqual([
      { path: 'condition.operator', problem: 'segments cannot reference other segments' },
    ]);
  });

  it('rejects non-string list entries and unknown properties', () => {
    expect(validateSegment({ key: 's', included: [1], rules: [] })).toEqual([
      { path: 'rules', problem: 'unknown property' },
      { path: 'included[0]', problem: 'must be a string of at most 1024 characters' },
    ]);
  });
});
