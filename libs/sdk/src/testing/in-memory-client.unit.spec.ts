import type { FlagDefinition } from '@flagpole/evaluation';
import { firstValueFrom, take, toArray } from 'rxjs';
import type { FlagEvaluator } from '../evaluator/flag-evaluator';
import type { ConfigurationChangeEvent } from '../types';
import { createTestClient, InMemoryFlagpoleClient } from './in-memory-client';

/** On from 2030-01-01 (a currentTime rule), off before. */
const LAUNCH_AT_2030: FlagDefinition = {
  key: 'launch',
  type: 'boolean',
  variants: { on: true, off: false },
  environments: {
    test: {
      on: true,
      offVariant: 'off',
      rules: [{ id: 'after-launch', condition: { attribute: 'currentTime', operator: 'after', values: ['2030-01-01T00:00:00Z'] }, serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    },
  },
};

/** A piece of application code that depends on flags only through the SDK's interface. */
class CheckoutService {
  constructor(private readonly flags: FlagEvaluator) {}

  /** Cart total in cents: the new checkout applies the discount flag; the old one never did. */
  total(subtotalCents: number, user: { id: string; plan: string }): { total: number; flow: 'new' | 'classic' } {
    const context = { targetingKey: user.id, plan: user.plan };
    if (!this.flags.getBooleanValue('new-checkout', false, context)) return { total: subtotalCents, flow: 'classic' };
    const discount = this.flags.getNumberValue('checkout-discount-percent', 0, context);
    return { total: Math.round(subtotalCents * (1 - discount / 100)), flow: 'new' };
  }
}

// The seed pattern: every flag a unit depends on is tested on both of its paths.
describe.each([
  { enabled: true, expected: { total: 9000, flow: 'new' } },
  { enabled: false, expected: { total: 10_000, flow: 'classic' } },
])('CheckoutService with new-checkout pinned to $enabled', ({ enabled, expected }) => {
  it('computes the total of its path', () => {
    const flags = createTestClient({ overrides: { 'new-checkout': enabled, 'checkout-discount-percent': 10 } });
    expect(new CheckoutService(flags).total(10_000, { id: 'u1', plan: 'free' })).toEqual(expected);
  });
});

describe('InMemoryFlagpoleClient', () => {
  it('is READY from the start with source memory, and serves overrides to every context', async () => {
    const flags = createTestClient().override('theme', 'dark').override('limit', 5).override('banner', { text: 'hi' }).override('on', true);
    expect(await flags.start()).toMatchObject({ state: 'READY', source: 'memory', flags: 4 });
    expect(flags.getStringValue('theme', 'light', { targetingKey: 'anyone' })).toBe('dark');
    expect(flags.getNumberValue('limit', 0)).toBe(5);
    expect(flags.getJsonValue('banner', null)).toEqual({ text: 'hi' });
    expect(flags.getBooleanDetails('on', false)).toEqual({
      flagKey: 'on',
      value: true,
      variant: 'override',
      reason: 'DEFAULT',
      stale: false,
      evaluationReason: 'DEFAULT',
      source: 'memory',
      flagVersion: 1,
    });
  });

  it('answers like production for the wrong type or a missing flag', () => {
    const flags = createTestClient({ overrides: { theme: 'dark' } });
    expect(flags.getBooleanDetails('theme', true)).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    expect(flags.getNumberDetails('nope', 7)).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(flags.getStringDetails('theme', 'x', 'not an object' as never)).toMatchObject({ value: 'x', errorCode: 'INVALID_CONTEXT' });
  });

  it('evaluates complete definitions with the engine, an override taking precedence until cleared', () => {
    const definition: FlagDefinition = {
      key: 'new-checkout',
      type: 'boolean',
      variants: { on: true, off: false },
      environments: {
        test: {
          on: true,
          offVariant: 'off',
          rules: [{ id: 'beta', condition: { attribute: 'targetingKey', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }],
          fallthrough: { variant: 'off' },
        },
      },
    };
    const flags = new InMemoryFlagpoleClient({ flags: [definition], segments: [{ key: 'beta', included: ['u1'] }] });
    expect(flags.getBooleanDetails('new-checkout', false, { targetingKey: 'u1' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH', ruleId: 'beta' });
    expect(flags.getBooleanValue('new-checkout', true, { targetingKey: 'u2' })).toBe(false);

    flags.override('new-checkout', true);
    expect(flags.getBooleanValue('new-checkout', false, { targetingKey: 'u2' })).toBe(true);
    flags.clearOverride('new-checkout');
    expect(flags.getBooleanValue('new-checkout', true, { targetingKey: 'u2' })).toBe(false);
    flags.removeFlag('new-checkout');
    expect(flags.getBooleanDetails('new-checkout', true).errorCode).toBe('FLAG_NOT_FOUND');
  });

  it('refuses invalid definitions instead of letting a test pass by accident', () => {
    const flags = createTestClient();
    expect(() => flags.override('bad key!', true)).toThrow(/invalid override of bad key!/);
    expect(() => flags.override('n', Number.NaN)).toThrow(/invalid override/);
    expect(() => flags.putSegment({ key: 's', included: 'u1' as never })).toThrow(/invalid segment s/);
  });

  it('emits change events, per flag and for all, after the change is in place', async () => {
    const flags = createTestClient({ flags: [], overrides: { a: true } });
    const seen: Array<[string, boolean]> = [];
    flags.onFlagChange('a', () => seen.push(['a', flags.getBooleanValue('a', true)]));
    const changes = firstValueFrom(flags.changes$.pipe(take(2), toArray()));
    const perFlag = firstValueFrom(flags.flagChanges$('a').pipe(take(2), toArray()));
    const events: ConfigurationChangeEvent[] = [];
    flags.on('change', (e) => events.push(e));

    flags.override('a', false).clearOverride('a');
    expect(seen).toEqual([['a', false], ['a', true]]); // after clearing: gone, the default
    expect((await changes).map((e) => e.flags)).toEqual([
      [{ key: 'a', type: 'updated', cause: 'flag', version: 2, previousVersion: 1 }],
      [{ key: 'a', type: 'removed', cause: 'flag', previousVersion: 2 }],
    ]);
    expect((await perFlag).map((c) => c.type)).toEqual(['updated', 'removed']);
    expect(events.map((e) => e.source)).toEqual(['memory', 'memory']);
  });

  it('isolates the client from a listener that throws', () => {
    const errors: string[] = [];
    const flags = createTestClient({ logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (_f, m) => void errors.push(m) } });
    let second = false;
    flags.on('change', () => {
      throw new Error('boom');
    });
    flags.on('change', () => (second = true));
    expect(() => flags.override('x', 1)).not.toThrow();
    expect(second).toBe(true);
    expect(errors).toEqual(['flagpole: an event listener threw']);
  });

  it('passes its clock to the engine for currentTime clauses', () => {
    let now = Date.parse('2029-12-31T23:59:59Z');
    const flags = createTestClient({
      clock: () => now,
      flags: [LAUNCH_AT_2030],
    });
    expect(flags.getBooleanValue('launch', true)).toBe(false);
    now = Date.parse('2030-01-01T00:00:01Z');
    expect(flags.getBooleanValue('launch', false)).toBe(true);
    expect(flags.getBooleanDetails('launch', false).ruleId).toBe('after-launch');
  });

  it('answers the default, without throwing, when the application clock throws', () => {
    let broken = false;
    const flags = createTestClient({
      clock: () => {
        if (broken) throw new Error('clock broken');
        return Date.parse('2031-01-01T00:00:00Z');
      },
      flags: [LAUNCH_AT_2030],
    });
    expect(flags.getBooleanValue('launch', false)).toBe(true);
    broken = true;
    expect(flags.getBooleanValue('launch', false)).toBe(false);
    expect(flags.getBooleanDetails('launch', false)).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' });
  });

  it('completes its observables on close and keeps evaluating', async () => {
    const flags = createTestClient({ overrides: { a: true } });
    const all = firstValueFrom(flags.changes$.pipe(toArray()));
    await flags.close();
    expect(await all).toEqual([]);
    expect(flags.status().state).toBe('CLOSED');
    expect(flags.getBooleanValue('a', false)).toBe(true);
  });
});
