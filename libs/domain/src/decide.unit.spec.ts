import type { FlagEnvironmentConfig } from '@flagpole/evaluation';
import type { FlagpoleCommand } from './commands';
import { decide } from './decide';
import { FlagpoleState } from './state/flagpole-state';
import { decisionContextOf } from './state/state-decision-context';
import { command, execute, expectRefusal, SHA256_OF_SECRET } from './testing/decider-spec';

const usingSegment = (segment: string): FlagEnvironmentConfig => ({
  on: true,
  offVariant: 'off',
  rules: [{ id: 'r1', condition: { attribute: 'key', operator: 'segment', values: [segment] }, serve: { variant: 'on' } }],
  fallthrough: { variant: 'off' },
});
const requiring = (flag: string): FlagEnvironmentConfig => ({
  on: true,
  offVariant: 'off',
  prerequisites: [{ flag, variants: ['on'] }],
  fallthrough: { variant: 'on' },
});

function world(...commands: FlagpoleCommand[]): FlagpoleState {
  const state = FlagpoleState.empty();
  for (const c of [
    command('CreateEnvironment', { key: 'production', name: 'Production' }),
    command('CreateEnvironment', { key: 'staging', name: 'Staging' }),
    ...commands,
  ]) {
    execute(state, c);
  }
  return state;
}

describe('decide', () => {
  it.each<[string, FlagpoleCommand, string, string]>([
    ['environment', command('CreateEnvironment', { key: 'qa', name: 'QA' }), 'environment', 'environment:qa'],
    ['flag', command('CreateFlag', { key: 'checkout', name: 'Checkout' }), 'flag', 'flag:checkout'],
    ['segment', command('CreateSegment', { environment: 'staging', key: 'beta', name: 'Beta', rules: {} }), 'segment', 'segment:staging/beta'],
    [
      'token',
      command('IssueToken', { tokenId: 'tok-1', secretHash: SHA256_OF_SECRET, name: 'CI', role: 'viewer', environments: '*' }),
      'token',
      'token:tok-1',
    ],
  ])('routes a %s command to its aggregate', (_what, cmd, aggregateType, aggregateId) => {
    const decision = decide(cmd, world());
    expect(decision).toMatchObject({ aggregateType, aggregateId, baseVersion: 0 });
    expect(decision.events).toHaveLength(1);
  });

  it('builds on the aggregate’s current version', () => {
    const state = world(command('CreateFlag', { key: 'checkout', name: 'Checkout' }), command('ToggleFlag', { key: 'checkout', environment: 'staging', on: true }));
    expect(decide(command('ArchiveFlag', { key: 'checkout' }), state)).toEqual({
      aggregateType: 'flag',
      aggregateId: 'flag:checkout',
      baseVersion: 2,
      events: [{ type: 'FlagArchived', data: {} }],
    });
  });

  it('refuses to archive a flag another flag requires, until that prerequisite is removed', () => {
    const state = world(
      command('CreateFlag', { key: 'login', name: 'Login' }),
      command('CreateFlag', { key: 'checkout', name: 'Checkout' }),
      command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'staging', config: requiring('login') }),
    );
    expectRefusal(() => decide(command('ArchiveFlag', { key: 'login' }), state), {
      code: 'in_use',
      problems: [{ field: 'key', problem: 'is a prerequisite of flag "checkout"' }],
      currentVersion: 1,
    });
    execute(state, command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'staging', config: { on: true, offVariant: 'off', fallthrough: { variant: 'on' } } }));
    expect(decide(command('ArchiveFlag', { key: 'login' }), state).events).toEqual([{ type: 'FlagArchived', data: {} }]);
  });

  it('refuses a prerequisite that closes a cycle in the same environment but not in another', () => {
    const state = world(
      command('CreateFlag', { key: 'a', name: 'A' }),
      command('CreateFlag', { key: 'b', name: 'B' }),
      command('ConfigureFlagEnvironment', { key: 'a', environment: 'production', config: requiring('b') }),
    );
    expectRefusal(() => decide(command('ConfigureFlagEnvironment', { key: 'b', environment: 'production', config: requiring('a') }), state), {
      code: 'validation_failed',
      problems: [{ field: 'config.prerequisites', problem: 'would create a prerequisite cycle: a → b → a' }],
    });
    expect(decide(command('ConfigureFlagEnvironment', { key: 'b', environment: 'staging', config: requiring('a') }), state).events).toHaveLength(1);
  });

  it('refuses an archived flag as a prerequisite', () => {
    const state = world(command('CreateFlag', { key: 'login', name: 'Login' }), command('ArchiveFlag', { key: 'login' }), command('CreateFlag', { key: 'checkout', name: 'Checkout' }));
    expectRefusal(() => decide(command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'staging', config: requiring('login') }), state), {
      code: 'validation_failed',
      problems: [{ field: 'config.prerequisites[0].flag', problem: 'flag "login" does not exist or is archived' }],
    });
  });

  it('refuses to delete a segment an active flag uses, and allows it once that flag is archived', () => {
    const state = world(
      command('CreateSegment', { environment: 'production', key: 'beta', name: 'Beta', rules: { included: ['alice'] } }),
      command('CreateFlag', { key: 'checkout', name: 'Checkout' }),
      command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'production', config: usingSegment('beta') }),
    );
    expectRefusal(() => decide(command('DeleteSegment', { environment: 'production', key: 'beta' }), state), {
      code: 'in_use',
      problems: [{ field: 'key', problem: 'is used by flag "checkout"' }],
    });
    execute(state, command('ArchiveFlag', { key: 'checkout' }));
    expect(decide(command('DeleteSegment', { environment: 'production', key: 'beta' }), state).events).toEqual([{ type: 'SegmentDeleted', data: {} }]);
  });

  it('refuses to restore a flag whose segment or prerequisite went away while it was archived, naming both', () => {
    const state = world(
      command('CreateSegment', { environment: 'production', key: 'beta', name: 'Beta', rules: {} }),
      command('CreateFlag', { key: 'login', name: 'Login' }),
      command('CreateFlag', { key: 'checkout', name: 'Checkout' }),
      command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'production', config: usingSegment('beta') }),
      command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'staging', config: requiring('login') }),
      command('ArchiveFlag', { key: 'checkout' }),
      command('DeleteSegment', { environment: 'production', key: 'beta' }),
      command('ArchiveFlag', { key: 'login' }),
    );
    let refusal: unknown;
    try {
      decide(command('RestoreFlag', { key: 'checkout' }), state);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'validation_failed' });
    const fields = (refusal as { problems: { field: string; problem: string }[] }).problems.map((p) => p.field);
    expect(fields.some((f) => f.startsWith('environments.production.rules[0]'))).toBe(true);
    expect(fields).toContain('environments.staging.prerequisites[0].flag');
  });

  it('refuses new variants that drop one another flag needs as a prerequisite', () => {
    const state = world(
      command('CreateFlag', { key: 'colour', name: 'Colour', type: 'string', variants: { red: 'r', blue: 'b' } }),
      command('CreateFlag', { key: 'checkout', name: 'Checkout' }),
      command('ConfigureFlagEnvironment', {
        key: 'checkout',
        environment: 'production',
        config: { on: true, offVariant: 'off', fallthrough: { variant: 'on' }, prerequisites: [{ flag: 'colour', variants: ['blue'] }] },
      }),
    );
    expectRefusal(() => decide(command('SetFlagVariants', { key: 'colour', variants: { red: 'r', green: 'g' } }), state), {
      code: 'validation_failed',
      problems: [{ field: 'variants', problem: 'flag "checkout" needs variant "blue" as a prerequisite in "production"' }],
    });
  });
});

describe('decisionContextOf', () => {
  const state = world(
    command('CreateFlag', { key: 'login', name: 'Login' }),
    command('CreateFlag', { key: 'colour', name: 'Colour', type: 'string', variants: { red: 'r', blue: 'b' } }),
    command('CreateFlag', { key: 'checkout', name: 'Checkout' }),
    command('CreateFlag', { key: 'legacy', name: 'Legacy' }),
    command('CreateSegment', { environment: 'production', key: 'beta', name: 'Beta', rules: {} }),
    command('CreateSegment', { environment: 'staging', key: 'beta', name: 'Beta', rules: {} }),
    command('CreateSegment', { environment: 'staging', key: 'gone', name: 'Gone', rules: {} }),
    command('DeleteSegment', { environment: 'staging', key: 'gone' }),
    command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'production', config: { ...requiring('login'), rules: usingSegment('beta').rules } }),
    command('ConfigureFlagEnvironment', { key: 'legacy', environment: 'staging', config: { ...requiring('login'), rules: usingSegment('beta').rules } }),
    command('ConfigureFlagEnvironment', { key: 'colour', environment: 'staging', config: { on: true, offVariant: 'red', fallthrough: { variant: 'blue' }, prerequisites: [{ flag: 'login', variants: ['on'] }] } }),
    command('ArchiveFlag', { key: 'legacy' }),
  );
  const ctx = decisionContextOf(state);

  it('knows the active environments', () => {
    expect(ctx.environmentExists('production')).toBe(true);
    expect(ctx.environmentExists('qa')).toBe(false);
    expect(ctx.environmentKeys()).toEqual(['production', 'staging']);
  });

  it('knows active flags and their variant names, not archived ones', () => {
    expect(ctx.flagExists('colour')).toBe(true);
    expect(ctx.flagVariantNames('colour')).toEqual(['red', 'blue']);
    expect(ctx.flagExists('legacy')).toBe(false);
    expect(ctx.flagVariantNames('legacy')).toBeUndefined();
    expect(ctx.flagVariantNames('nope')).toBeUndefined();
  });

  it('knows segments per environment, not deleted ones', () => {
    expect(ctx.segmentExists('staging', 'beta')).toBe(true);
    expect(ctx.segmentExists('staging', 'gone')).toBe(false);
    expect(ctx.segmentExists('qa', 'beta')).toBe(false);
  });

  it('lists the active flags using a segment in one environment', () => {
    expect(ctx.flagsUsingSegment('production', 'beta')).toEqual(['checkout']);
    expect(ctx.flagsUsingSegment('staging', 'beta')).toEqual([]);
  });

  it('lists prerequisite edges of active flags per environment', () => {
    expect([...ctx.prerequisiteEdges('production')]).toEqual([['checkout', ['login']]]);
    expect([...ctx.prerequisiteEdges('staging')]).toEqual([['colour', ['login']]]);
  });

  it('lists active dependents across environments', () => {
    expect(ctx.flagsDependingOn('login')).toEqual(['colour', 'checkout']);
    expect(ctx.flagsDependingOn('checkout')).toEqual([]);
  });
});
