import type { FlagEnvironmentConfig } from '@flagpole/evaluation';
import { ACTOR, command, deciderSpec, type ContextFacts } from '../testing/decider-spec';
import type { CreateFlag } from './flag.commands';
import { decideFlag, evolveFlag } from './flag.decider';
import type { FlagArchived, FlagCreated, FlagEnvironmentConfigured, FlagEvent, FlagToggled } from './flag.events';
import { initialFlagState } from './flag.state';

const flag = deciderSpec({ decide: decideFlag, evolve: evolveFlag, initialState: initialFlagState });

// NOW is 2025-01-15T10:00:00.000Z.
const IN_90_DAYS = '2025-04-15T10:00:00.000Z';
const IN_60_DAYS = '2025-03-16T10:00:00.000Z';

const created = (data: Partial<FlagCreated['data']> = {}): FlagCreated => ({
  type: 'FlagCreated',
  data: {
    key: 'checkout',
    type: 'boolean',
    variants: { on: true, off: false },
    onVariant: 'on',
    offVariant: 'off',
    name: 'New checkout',
    description: '',
    kind: 'release',
    owner: ACTOR.id,
    tags: [],
    expiresAt: IN_90_DAYS,
    ...data,
  },
});

/** A string flag with three variants; blue is served when on, red when off. */
const colourCreated = created({
  key: 'colour',
  name: 'Button colour',
  type: 'string',
  variants: { blue: '#00f', green: '#0f0', red: '#f00' },
  onVariant: 'blue',
  offVariant: 'red',
});

const config = (overrides: Partial<FlagEnvironmentConfig> = {}): FlagEnvironmentConfig => ({
  on: true,
  offVariant: 'off',
  fallthrough: { variant: 'on' },
  ...overrides,
});

const configured = (environment: string, c: FlagEnvironmentConfig): FlagEnvironmentConfigured => ({
  type: 'FlagEnvironmentConfigured',
  data: { environment, config: c },
});
const toggled = (environment: string, on: boolean): FlagToggled => ({ type: 'FlagToggled', data: { environment, on } });
const archived: FlagArchived = { type: 'FlagArchived', data: {} };

const createFlag = (data: Partial<CreateFlag['data']> = {}, expectedVersion?: number): CreateFlag =>
  command('CreateFlag', { key: 'checkout', name: 'New checkout', ...data }, { expectedVersion });

const KEY_PROBLEM = 'must be 1-100 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit';
const TAG_PROBLEM = 'must be 1-50 characters of a-z, 0-9, ":", "_", "." or "-"';

describe('decideFlag: CreateFlag', () => {
  it('creates a boolean release flag with on/off variants, the actor as owner and an expiry 90 days out', () => {
    const state = flag.given([]).when(createFlag()).then([created()]);
    expect(state).toEqual({
      status: 'active',
      version: 1,
      key: 'checkout',
      type: 'boolean',
      variants: { on: true, off: false },
      onVariant: 'on',
      offVariant: 'off',
      metadata: { name: 'New checkout', description: '', kind: 'release', owner: ACTOR.id, tags: [], expiresAt: IN_90_DAYS },
      environments: {},
    });
  });

  it.each([
    ['release', IN_90_DAYS],
    ['experiment', IN_60_DAYS],
    ['operational', null],
    ['permission', null],
  ] as const)('defaults the expiry of a %s flag to %s', (kind, expiresAt) => {
    flag.given([]).when(createFlag({ kind })).then([created({ kind, expiresAt })]);
  });

  it('normalises an explicit expiry to a full ISO-8601 UTC timestamp', () => {
    flag.given([]).when(createFlag({ expiresAt: '2025-06-01' })).then([created({ expiresAt: '2025-06-01T00:00:00.000Z' })]);
    flag
      .given([])
      .when(createFlag({ expiresAt: '2025-06-01T12:00:00+02:00' }))
      .then([created({ expiresAt: '2025-06-01T10:00:00.000Z' })]);
  });

  it('keeps an explicit null expiry even for a release flag', () => {
    flag.given([]).when(createFlag({ expiresAt: null })).then([created({ expiresAt: null })]);
  });

  it('keeps the given description, owner and tags', () => {
    flag
      .given([])
      .when(createFlag({ description: 'One-page checkout', owner: 'team-payments', tags: ['payments', 'q1:2025'] }))
      .then([created({ description: 'One-page checkout', owner: 'team-payments', tags: ['payments', 'q1:2025'] })]);
  });

  it('picks the on/off variants of custom boolean variants by their values', () => {
    flag
      .given([])
      .when(createFlag({ variants: { disabled: false, enabled: true } }))
      .then([created({ variants: { disabled: false, enabled: true }, onVariant: 'enabled', offVariant: 'disabled' })]);
  });

  it('defaults the on variant of a string flag to the first and the off variant to the last', () => {
    flag
      .given([])
      .when(createFlag({ key: 'colour', name: 'Button colour', type: 'string', variants: { blue: '#00f', green: '#0f0', red: '#f00' } }))
      .then([colourCreated]);
  });

  it('uses explicitly named on/off variants', () => {
    flag
      .given([])
      .when(createFlag({ type: 'string', variants: { a: 'A', b: 'B', c: 'C' }, onVariant: 'b', offVariant: 'a' }))
      .then([created({ type: 'string', variants: { a: 'A', b: 'B', c: 'C' }, onVariant: 'b', offVariant: 'a' })]);
  });

  it('creates number and json flags with their explicit variants', () => {
    flag
      .given([])
      .when(createFlag({ type: 'number', variants: { low: 0.5, high: 10 } }))
      .then([created({ type: 'number', variants: { low: 0.5, high: 10 }, onVariant: 'low', offVariant: 'high' })]);
    const variants = { v1: { layout: 'grid', columns: [1, 2] }, none: null };
    flag
      .given([])
      .when(createFlag({ type: 'json', variants }))
      .then([created({ type: 'json', variants, onVariant: 'v1', offVariant: 'none' })]);
  });

  it('requires variants for a non-boolean flag', () => {
    flag
      .given([])
      .when(createFlag({ type: 'string' }))
      .thenThrows({
        code: 'validation_failed',
        problems: [{ field: 'variants', problem: 'must be an object of variant name to value, not undefined' }],
      });
  });

  it('reports wrong variant values and names at their own field paths', () => {
    flag
      .given([])
      .when(createFlag({ type: 'number', variants: { one: 1, two: '2', 'has space': 3 } }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'variants.two', problem: 'must be a finite number for a number flag, not string' },
          { field: 'variants["has space"]', problem: /is not a valid variant name/ },
        ],
      });
  });

  it('rejects an empty variant object and boolean variants that are not booleans', () => {
    flag
      .given([])
      .when(createFlag({ variants: {} }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'variants', problem: 'needs at least one variant' }] });
    flag
      .given([])
      .when(createFlag({ variants: { on: 'yes', off: false } }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'variants.on', problem: 'must be a boolean for a boolean flag, not string' }] });
  });

  it('rejects boolean variants without a variant serving false', () => {
    flag
      .given([])
      .when(createFlag({ variants: { on: true } }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'offVariant', problem: 'must name one of the variants (on)' }] });
  });

  it('rejects on/off variants that name no variant', () => {
    flag
      .given([])
      .when(createFlag({ type: 'string', variants: { a: 'A', b: 'B' }, onVariant: 'c', offVariant: 'd' }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'onVariant', problem: 'must name one of the variants (a, b)' },
          { field: 'offVariant', problem: 'must name one of the variants (a, b)' },
        ],
      });
  });

  it('rejects on/off variants named like Object.prototype members that are not variants', () => {
    flag
      .given([])
      .when(createFlag({ type: 'string', variants: { a: 'A', b: 'B' }, onVariant: 'toString', offVariant: 'constructor' }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'onVariant' }, { field: 'offVariant' }] });
  });

  it('accepts variants that are really named like Object.prototype members', () => {
    flag
      .given([])
      .when(createFlag({ type: 'string', variants: { constructor: 'C', toString: 'T' } }))
      .then([created({ type: 'string', variants: { constructor: 'C', toString: 'T' }, onVariant: 'constructor', offVariant: 'toString' })]);
  });

  it.each([
    ['upper-case letters', 'Checkout'],
    ['a space', 'new checkout'],
    ['a leading dot', '.checkout'],
    ['101 characters', 'k'.repeat(101)],
    ['the empty string', ''],
  ])('rejects a key with %s', (_case, key) => {
    flag.given([]).when(createFlag({ key })).thenThrows({ code: 'validation_failed', problems: [{ field: 'key', problem: KEY_PROBLEM }] });
  });

  it('accepts a key of 100 characters with dots, dashes and underscores', () => {
    const key = `a.b-c_${'k'.repeat(94)}`;
    flag.given([]).when(createFlag({ key })).then([created({ key })]);
  });

  it('rejects an unknown kind and an unknown type', () => {
    flag
      .given([])
      .when(createFlag({ kind: 'temporary', type: 'date' }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'kind', problem: 'must be one of release, experiment, operational, permission' },
          { field: 'type', problem: 'must be one of boolean, string, number, json' },
        ],
      });
  });

  it('rejects malformed, repeated and too many tags', () => {
    flag
      .given([])
      .when(createFlag({ tags: ['ok', 'Not OK', 7, 'ok'] }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'tags[1]', problem: TAG_PROBLEM },
          { field: 'tags[2]', problem: TAG_PROBLEM },
          { field: 'tags', problem: 'must not repeat a tag' },
        ],
      });
    flag
      .given([])
      .when(createFlag({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'tags', problem: 'must have at most 20 tags' }] });
    flag
      .given([])
      .when(createFlag({ tags: 'payments' }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'tags', problem: 'must be an array of strings' }] });
  });

  it.each([['next week'], ['2025-13-01'], ['15/01/2025'], ['']])('rejects the expiry %j', (expiresAt) => {
    flag
      .given([])
      .when(createFlag({ expiresAt }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'expiresAt', problem: 'must be an ISO-8601 date or null' }] });
  });

  it('reports every problem of the request together', () => {
    flag
      .given([])
      .when(
        command('CreateFlag', {
          key: 'Bad Key',
          name: '',
          description: 'd'.repeat(2001),
          owner: 'o'.repeat(201),
          kind: 'forever',
          type: 'string',
          variants: { a: 1 },
          tags: ['BAD'],
          expiresAt: 'soon',
        }),
      )
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'key', problem: KEY_PROBLEM },
          { field: 'name', problem: 'must not be blank' },
          { field: 'description', problem: 'must be at most 2000 characters' },
          { field: 'owner', problem: 'must be at most 200 characters' },
          { field: 'kind', problem: 'must be one of release, experiment, operational, permission' },
          { field: 'tags[0]', problem: TAG_PROBLEM },
          { field: 'expiresAt', problem: 'must be an ISO-8601 date or null' },
          { field: 'variants.a', problem: 'must be a string for a string flag, not number' },
        ],
      });
  });

  it('refuses a duplicate key with already_exists and the current version', () => {
    flag.given([created(), toggled('production', true)]).when(createFlag()).thenThrows({ code: 'already_exists', problems: [], currentVersion: 2 });
  });

  it('refuses to re-create an archived flag', () => {
    flag.given([created(), archived]).when(createFlag()).thenThrows({ code: 'already_exists', currentVersion: 2 });
  });

  it('accepts expectedVersion 0 and rejects any other with version_conflict', () => {
    flag.given([]).when(createFlag({}, 0)).then([created()]);
    flag.given([]).when(createFlag({}, 1)).thenThrows({ code: 'version_conflict', currentVersion: 0 });
  });
});

describe('decideFlag: UpdateFlagMetadata', () => {
  const update = (data: Omit<Partial<CreateFlag['data']>, 'key'>, expectedVersion?: number) =>
    command('UpdateFlagMetadata', { key: 'checkout', ...data }, { expectedVersion });

  it('puts only the fields that change into the event', () => {
    const state = flag
      .given([created()])
      .when(update({ name: 'New checkout', description: 'One page', tags: [], owner: 'team-payments' }))
      .then([{ type: 'FlagMetadataUpdated', data: { changes: { description: 'One page', owner: 'team-payments' } } }]);
    expect(state.status === 'active' && state.metadata).toEqual({
      name: 'New checkout',
      description: 'One page',
      kind: 'release',
      owner: 'team-payments',
      tags: [],
      expiresAt: IN_90_DAYS,
    });
    expect(state.version).toBe(2);
  });

  it('decides nothing when every field already has the given value', () => {
    flag
      .given([created({ tags: ['a', 'b'] })])
      .when(update({ name: 'New checkout', kind: 'release', tags: ['a', 'b'], expiresAt: IN_90_DAYS }))
      .then([]);
  });

  it('compares expiries as instants, so another spelling of the same time changes nothing', () => {
    flag.given([created()]).when(update({ expiresAt: '2025-04-15T12:00:00+02:00' })).then([]);
  });

  it('normalises a new expiry and clears it with null', () => {
    flag
      .given([created()])
      .when(update({ expiresAt: '2025-05-01' }))
      .then([{ type: 'FlagMetadataUpdated', data: { changes: { expiresAt: '2025-05-01T00:00:00.000Z' } } }]);
    flag
      .given([created()])
      .when(update({ expiresAt: null }))
      .then([{ type: 'FlagMetadataUpdated', data: { changes: { expiresAt: null } } }]);
  });

  it('keeps the expiry when the kind changes to a permanent one', () => {
    flag
      .given([created()])
      .when(update({ kind: 'operational' }))
      .then([{ type: 'FlagMetadataUpdated', data: { changes: { kind: 'operational' } } }]);
  });

  it('updates the metadata of an archived flag', () => {
    flag
      .given([created(), archived])
      .when(update({ description: 'Retired in March' }))
      .then([{ type: 'FlagMetadataUpdated', data: { changes: { description: 'Retired in March' } } }]);
  });

  it('rejects a blank name', () => {
    flag.given([created()]).when(update({ name: '  ' })).thenThrows({ code: 'validation_failed', problems: [{ field: 'name', problem: 'must not be blank' }] });
  });

  it('treats null name, description and owner as not given rather than storing null', () => {
    flag
      .given([created()])
      .when(update({ name: null, description: null, owner: null, tags: ['x'] } as unknown as Partial<CreateFlag['data']>))
      .then([{ type: 'FlagMetadataUpdated', data: { changes: { tags: ['x'] } } }]);
  });

  it('reports every invalid field together', () => {
    flag
      .given([created()])
      .when(update({ kind: 'forever', tags: ['a', 'a'], expiresAt: 'tomorrow', description: 'd'.repeat(2001) }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'description', problem: 'must be at most 2000 characters' },
          { field: 'kind' },
          { field: 'tags', problem: 'must not repeat a tag' },
          { field: 'expiresAt', problem: 'must be an ISO-8601 date or null' },
        ],
      });
  });

  it('refuses an unknown flag with not_found', () => {
    flag.given([]).when(update({ name: 'x' })).thenThrows({ code: 'not_found', problems: [] });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version, even when nothing would change', () => {
    flag.given([created(), toggled('production', true)]).when(update({ description: 'x' }, 1)).thenThrows({ code: 'version_conflict', currentVersion: 2 });
    flag.given([created(), toggled('production', true)]).when(update({}, 1)).thenThrows({ code: 'version_conflict', currentVersion: 2 });
    flag
      .given([created(), toggled('production', true)])
      .when(update({ description: 'x' }, 2))
      .then([{ type: 'FlagMetadataUpdated', data: { changes: { description: 'x' } } }]);
  });
});

describe('decideFlag: SetFlagVariants', () => {
  const setVariants = (data: { variants: unknown; onVariant?: string; offVariant?: string }, expectedVersion?: number, key = 'colour') =>
    command('SetFlagVariants', { key, ...data }, { expectedVersion });

  it('replaces the variants, keeping the on/off variants that still exist', () => {
    const variants = { blue: '#0000ff', yellow: '#ff0', red: '#ff0000' };
    const state = flag
      .given([colourCreated])
      .when(setVariants({ variants }))
      .then([{ type: 'FlagVariantsSet', data: { variants, onVariant: 'blue', offVariant: 'red' } }]);
    expect(state).toMatchObject({ version: 2, variants, onVariant: 'blue', offVariant: 'red' });
  });

  it('falls back to the first and last variant when the on/off variants are removed', () => {
    const variants = { cyan: '#0ff', magenta: '#f0f', yellow: '#ff0' };
    flag
      .given([colourCreated])
      .when(setVariants({ variants }))
      .then([{ type: 'FlagVariantsSet', data: { variants, onVariant: 'cyan', offVariant: 'yellow' } }]);
  });

  it('uses explicitly named on/off variants', () => {
    const variants = { blue: '#00f', red: '#f00' };
    flag
      .given([colourCreated])
      .when(setVariants({ variants, onVariant: 'red', offVariant: 'blue' }))
      .then([{ type: 'FlagVariantsSet', data: { variants, onVariant: 'red', offVariant: 'blue' } }]);
  });

  it('picks the on/off variants of renamed boolean variants by their values', () => {
    flag
      .given([created()])
      .when(setVariants({ variants: { yes: true, no: false } }, undefined, 'checkout'))
      .then([{ type: 'FlagVariantsSet', data: { variants: { yes: true, no: false }, onVariant: 'yes', offVariant: 'no' } }]);
  });

  it('does not keep an on/off variant named like an Object.prototype member once it is removed', () => {
    flag
      .given([created({ key: 'colour', type: 'string', variants: { toString: 'T', valueOf: 'V' }, onVariant: 'toString', offVariant: 'valueOf' })])
      .when(setVariants({ variants: { x: 'X', y: 'Y' } }))
      .then([{ type: 'FlagVariantsSet', data: { variants: { x: 'X', y: 'Y' }, onVariant: 'x', offVariant: 'y' } }]);
  });

  it('decides nothing when the variants and on/off variants are unchanged', () => {
    flag.given([colourCreated]).when(setVariants({ variants: { blue: '#00f', green: '#0f0', red: '#f00' } })).then([]);
  });

  it('rejects invalid variants with problems at their paths', () => {
    flag
      .given([colourCreated])
      .when(setVariants({ variants: { blue: 1, red: '#f00' } }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'variants.blue', problem: 'must be a string for a string flag, not number' }] });
    flag
      .given([colourCreated])
      .when(setVariants({ variants: { blue: '#00f' }, offVariant: 'red' }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'offVariant', problem: 'must name one of the variants (blue)' }] });
  });

  it('refuses variants that a configured environment still references, with problems under environments.<env>', () => {
    const production: FlagEnvironmentConfig = {
      on: true,
      offVariant: 'red',
      targets: [{ variant: 'green', values: ['alice'] }],
      fallthrough: { variant: 'blue' },
    };
    flag
      .given([colourCreated, configured('production', production), configured('staging', { ...production, targets: [] })])
      .when(setVariants({ variants: { blue: '#00f', red: '#f00' } }))
      .thenThrows({
        code: 'validation_failed',
        problems: [{ field: 'environments.production.targets[0].variant', problem: 'variant "green" does not exist' }],
      });
  });

  it('reports every configured environment that breaks', () => {
    flag
      .given([colourCreated, configured('production', { on: true, offVariant: 'red', fallthrough: { variant: 'green' } }), configured('staging', { on: false, offVariant: 'green', fallthrough: { variant: 'blue' } })])
      .when(setVariants({ variants: { blue: '#00f', red: '#f00' } }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'environments.production.fallthrough.variant', problem: 'variant "green" does not exist' },
          { field: 'environments.staging.offVariant', problem: 'variant "green" does not exist' },
        ],
      });
  });

  it('checks a toggled environment (it stores the default configuration) but lets unconfigured ones follow the new on/off variants', () => {
    flag
      .given([colourCreated, toggled('production', true)])
      .when(setVariants({ variants: { cyan: '#0ff', yellow: '#ff0' } }))
      .thenThrows({
        code: 'validation_failed',
        // A toggle stores the default configuration, which names the old on/off variants.
        problems: [
          { field: 'environments.production.offVariant', problem: 'variant "red" does not exist' },
          { field: 'environments.production.fallthrough.variant', problem: 'variant "blue" does not exist' },
        ],
      });
    flag
      .given([colourCreated])
      .when(setVariants({ variants: { cyan: '#0ff', yellow: '#ff0' } }))
      .then([{ type: 'FlagVariantsSet', data: { variants: { cyan: '#0ff', yellow: '#ff0' }, onVariant: 'cyan', offVariant: 'yellow' } }]);
  });

  it('removes a variant that another flag names as its prerequisite variant, leaving that prerequisite unsatisfiable', () => {
    flag
      .given([colourCreated])
      .withContext({ flags: { banner: ['on', 'off'] }, dependents: { colour: ['banner'] } })
      .when(setVariants({ variants: { blue: '#00f', red: '#f00' } }))
      .then([{ type: 'FlagVariantsSet', data: { variants: { blue: '#00f', red: '#f00' }, onVariant: 'blue', offVariant: 'red' } }]);
  });

  it('refuses an archived flag with invalid_state and an unknown one with not_found', () => {
    flag.given([colourCreated, archived]).when(setVariants({ variants: { a: 'A' } })).thenThrows({ code: 'invalid_state', currentVersion: 2 });
    flag.given([]).when(setVariants({ variants: { a: 'A' } })).thenThrows({ code: 'not_found' });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    flag.given([colourCreated]).when(setVariants({ variants: { a: 'A' } }, 0)).thenThrows({ code: 'version_conflict', problems: [], currentVersion: 1 });
  });
});

describe('decideFlag: ConfigureFlagEnvironment', () => {
  const configure = (c: unknown, environment = 'production', expectedVersion?: number, key = 'checkout') =>
    command('ConfigureFlagEnvironment', { key, environment, config: c }, { expectedVersion });

  const withRules: FlagEnvironmentConfig = {
    on: true,
    offVariant: 'off',
    targets: [{ variant: 'on', values: ['alice', 'bob'] }],
    rules: [
      { id: 'beta-users', condition: { attribute: 'plan', operator: 'in', values: ['beta'] }, serve: { variant: 'on' } },
      {
        id: 'ten-percent',
        condition: { all: [] },
        serve: { rollout: { variants: [{ variant: 'on', weight: 10_000 }, { variant: 'off', weight: 90_000 }] } },
      },
    ],
    fallthrough: { variant: 'off' },
  };

  it('records a valid configuration for the environment', () => {
    const state = flag
      .given([created()])
      .when(configure(withRules))
      .then([{ type: 'FlagEnvironmentConfigured', data: { environment: 'production', config: withRules } }]);
    expect(state).toMatchObject({ version: 2, environments: { production: withRules } });
  });

  it('reports every problem of an invalid configuration under config.', () => {
    flag
      .given([created()])
      .when(configure({ on: 'yes', offVariant: 'disabled', rules: [{ id: 'r', condition: { all: [] }, serve: { variant: 'maybe' } }], colour: 'red' }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'config.fallthrough', problem: 'is required' },
          { field: 'config.colour', problem: 'unknown property' },
          { field: 'config.on', problem: 'must be a boolean, not string' },
          { field: 'config.offVariant', problem: 'variant "disabled" does not exist' },
          { field: 'config.rules[0].serve.variant', problem: 'variant "maybe" does not exist' },
        ],
      });
  });

  it('reports a configuration that is not an object at config itself', () => {
    flag
      .given([created()])
      .when(configure(null))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'config', problem: 'must be an object, not null' }] });
  });

  it('refuses an unknown environment with not_found and a malformed one with validation_failed', () => {
    flag.given([created()]).when(configure(config(), 'qa')).thenThrows({ code: 'not_found', problems: [] });
    flag
      .given([created()])
      .when(configure(config(), 'QA env'))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'environment' }] });
  });

  it('checks segment references against the segments of that environment', () => {
    const usingBeta = config({ rules: [{ id: 'r1', condition: { attribute: 'key', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }] });
    flag
      .given([created()])
      .withContext({ segments: { staging: ['beta'] } })
      .when(configure(usingBeta))
      .thenThrows({
        code: 'validation_failed',
        problems: [{ field: 'config.rules[0].condition.values[0]', problem: 'segment "beta" does not exist' }],
      });
    flag
      .given([created()])
      .withContext({ segments: { production: ['beta'] } })
      .when(configure(usingBeta))
      .then([{ type: 'FlagEnvironmentConfigured', data: { environment: 'production', config: usingBeta } }]);
  });

  describe('prerequisites', () => {
    const ctx: ContextFacts = { flags: { login: ['on', 'off'], payments: ['v1', 'v2'] } };

    it('accepts existing flags and variants', () => {
      const c = config({ prerequisites: [{ flag: 'login', variants: ['on'] }, { flag: 'payments', variants: ['v1', 'v2'] }] });
      flag
        .given([created()])
        .withContext(ctx)
        .when(configure(c))
        .then([{ type: 'FlagEnvironmentConfigured', data: { environment: 'production', config: c } }]);
    });

    it('rejects the flag itself as its prerequisite', () => {
      flag
        .given([created()])
        .withContext(ctx)
        .when(configure(config({ prerequisites: [{ flag: 'checkout', variants: ['on'] }] })))
        .thenThrows({
          code: 'validation_failed',
          problems: [{ field: 'config.prerequisites[0].flag', problem: 'a flag cannot be its own prerequisite' }],
        });
    });

    it('rejects a missing (or archived) flag and unknown variants, each at its path', () => {
      flag
        .given([created()])
        .withContext(ctx)
        .when(configure(config({ prerequisites: [{ flag: 'ghost', variants: ['on'] }, { flag: 'payments', variants: ['v1', 'v3', 'on'] }] })))
        .thenThrows({
          code: 'validation_failed',
          problems: [
            { field: 'config.prerequisites[0].flag', problem: 'flag "ghost" does not exist or is archived' },
            { field: 'config.prerequisites[1].variants[1]', problem: 'flag "payments" has no variant "v3"' },
            { field: 'config.prerequisites[1].variants[2]', problem: 'flag "payments" has no variant "on"' },
          ],
        });
    });

    it('rejects a prerequisite that closes a cycle through other flags of the environment', () => {
      flag
        .given([created()])
        .withContext({ ...ctx, prerequisiteEdges: { production: { login: ['payments'], payments: ['checkout'] } } })
        .when(configure(config({ prerequisites: [{ flag: 'login', variants: ['on'] }] })))
        .thenThrows({
          code: 'validation_failed',
          problems: [{ field: 'config.prerequisites', problem: 'would create a prerequisite cycle: login → payments → checkout → login' }],
        });
    });

    it('ignores prerequisite edges of other environments', () => {
      const c = config({ prerequisites: [{ flag: 'login', variants: ['on'] }] });
      flag
        .given([created()])
        .withContext({ ...ctx, prerequisiteEdges: { staging: { login: ['checkout'] } } })
        .when(configure(c))
        .then([{ type: 'FlagEnvironmentConfigured', data: { environment: 'production', config: c } }]);
    });

    it('replaces the flag’s own previous edges, so dropping a prerequisite can break a would-be cycle', () => {
      const c = config({ prerequisites: [{ flag: 'payments', variants: ['v1'] }] });
      flag
        .given([created()])
        .withContext({ ...ctx, prerequisiteEdges: { production: { checkout: ['login'], payments: ['login'] } } })
        .when(configure(c))
        .then([{ type: 'FlagEnvironmentConfigured', data: { environment: 'production', config: c } }]);
    });
  });

  it('decides nothing for the configuration the environment already has, in any key order', () => {
    flag
      .given([created(), configured('production', withRules)])
      .when(configure({ fallthrough: withRules.fallthrough, rules: withRules.rules, targets: withRules.targets, offVariant: 'off', on: true }))
      .then([]);
  });

  it('decides nothing for the default configuration of an environment nobody configured', () => {
    flag.given([created()]).when(configure({ on: false, offVariant: 'off', fallthrough: { variant: 'on' } })).then([]);
  });

  it('refuses an archived flag with invalid_state', () => {
    flag.given([created(), archived]).when(configure(config())).thenThrows({ code: 'invalid_state', problems: [], currentVersion: 2 });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    flag.given([created(), toggled('staging', true)]).when(configure(config(), 'production', 1)).thenThrows({ code: 'version_conflict', currentVersion: 2 });
    flag
      .given([created(), toggled('staging', true)])
      .when(configure(config(), 'production', 2))
      .then([{ type: 'FlagEnvironmentConfigured', data: { environment: 'production', config: config() } }]);
  });
});

describe('decideFlag: ToggleFlag', () => {
  const toggle = (on: boolean, environment = 'production', expectedVersion?: number) =>
    command('ToggleFlag', { key: 'checkout', environment, on }, { expectedVersion });

  it('turns a flag on in an environment nobody configured, starting from the default configuration', () => {
    const state = flag.given([created()]).when(toggle(true)).then([toggled('production', true)]);
    expect(state).toMatchObject({ version: 2, environments: { production: { on: true, offVariant: 'off', fallthrough: { variant: 'on' } } } });
    expect(state.status === 'active' && Object.keys(state.environments)).toEqual(['production']);
  });

  it('turns a flag off again, keeping the rest of its configuration', () => {
    const c = config({ targets: [{ variant: 'on', values: ['alice'] }] });
    const state = flag.given([created(), configured('production', c)]).when(toggle(false)).then([toggled('production', false)]);
    expect(state).toMatchObject({ environments: { production: { ...c, on: false } } });
  });

  it('decides nothing when the flag is already in the requested state', () => {
    flag.given([created()]).when(toggle(false)).then([]);
    flag.given([created(), toggled('production', true)]).when(toggle(true)).then([]);
  });

  it('refuses an unknown environment with not_found', () => {
    flag.given([created()]).when(toggle(true, 'qa')).thenThrows({ code: 'not_found', problems: [] });
  });

  it('rejects a non-boolean `on`', () => {
    flag
      .given([created()])
      .when(command('ToggleFlag', { key: 'checkout', environment: 'production', on: 'true' as unknown as boolean }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'on', problem: 'must be a boolean' }] });
  });

  it('refuses an archived flag with invalid_state and an unknown one with not_found', () => {
    flag.given([created(), archived]).when(toggle(true)).thenThrows({ code: 'invalid_state', currentVersion: 2 });
    flag.given([]).when(toggle(true)).thenThrows({ code: 'not_found' });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version, even when nothing would change', () => {
    flag.given([created()]).when(toggle(true, 'production', 0)).thenThrows({ code: 'version_conflict', currentVersion: 1 });
    flag.given([created()]).when(toggle(false, 'production', 0)).thenThrows({ code: 'version_conflict', currentVersion: 1 });
  });
});

describe('decideFlag: ArchiveFlag', () => {
  const archive = (expectedVersion?: number) => command('ArchiveFlag', { key: 'checkout' }, { expectedVersion });

  it('archives an active flag', () => {
    const state = flag.given([created()]).when(archive()).then([archived]);
    expect(state).toMatchObject({ status: 'archived', version: 2 });
  });

  it('refuses with in_use, naming every flag that has it as a prerequisite', () => {
    const error = flag
      .given([created()])
      .withContext({ dependents: { checkout: ['banner', 'upsell'] } })
      .when(archive())
      .thenThrows({
        code: 'in_use',
        problems: [
          { field: 'key', problem: 'is a prerequisite of flag "banner"' },
          { field: 'key', problem: 'is a prerequisite of flag "upsell"' },
        ],
        currentVersion: 1,
      });
    expect(error.message).toBe('flag "checkout" is a prerequisite of "banner", "upsell"; remove those prerequisites first');
  });

  it('refuses an already archived flag with invalid_state and an unknown one with not_found', () => {
    flag.given([created(), archived]).when(archive()).thenThrows({ code: 'invalid_state', currentVersion: 2 });
    flag.given([]).when(archive()).thenThrows({ code: 'not_found' });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    flag.given([created(), toggled('production', true)]).when(archive(1)).thenThrows({ code: 'version_conflict', currentVersion: 2 });
  });
});

describe('decideFlag: RestoreFlag', () => {
  const restore = (expectedVersion?: number) => command('RestoreFlag', { key: 'checkout' }, { expectedVersion });

  it('restores an archived flag with its environment configurations', () => {
    const state = flag
      .given([created(), toggled('production', true), archived])
      .when(restore())
      .then([{ type: 'FlagRestored', data: {} }]);
    expect(state).toMatchObject({ status: 'active', version: 4, environments: { production: { on: true } } });
  });

  it('refuses a flag that is not archived with invalid_state and an unknown one with not_found', () => {
    flag.given([created()]).when(restore()).thenThrows({ code: 'invalid_state', problems: [], currentVersion: 1 });
    flag.given([]).when(restore()).thenThrows({ code: 'not_found', problems: [] });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    flag.given([created(), archived]).when(restore(1)).thenThrows({ code: 'version_conflict', currentVersion: 2 });
    flag.given([created(), archived]).when(restore(2)).then([{ type: 'FlagRestored', data: {} }]);
  });
});

describe('evolveFlag', () => {
  it('applies a whole history in order', () => {
    const history: FlagEvent[] = [
      colourCreated,
      { type: 'FlagMetadataUpdated', data: { changes: { name: 'Colour', tags: ['ui'] } } },
      { type: 'FlagVariantsSet', data: { variants: { blue: '#00f', red: '#f00' }, onVariant: 'red', offVariant: 'blue' } },
      configured('staging', { on: true, offVariant: 'blue', fallthrough: { variant: 'red' } }),
      toggled('staging', false),
      archived,
      { type: 'FlagRestored', data: {} },
    ];
    expect(history.reduce(evolveFlag, initialFlagState)).toEqual({
      status: 'active',
      version: 7,
      key: 'colour',
      type: 'string',
      variants: { blue: '#00f', red: '#f00' },
      onVariant: 'red',
      offVariant: 'blue',
      metadata: { name: 'Colour', description: '', kind: 'release', owner: ACTOR.id, tags: ['ui'], expiresAt: IN_90_DAYS },
      environments: { staging: { on: false, offVariant: 'blue', fallthrough: { variant: 'red' } } },
    });
  });
});
