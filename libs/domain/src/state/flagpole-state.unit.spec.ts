import type { Decision } from '../decide';
import type { EventEnvelope } from '../events/event-envelope.types';
import { GENESIS_HASH } from '../events/hash-chain';
import { stampEvents } from '../events/stamp-events';
import { command, execute, meta } from '../testing/decider-spec';
import { FlagpoleState } from './flagpole-state';

const createEnvironment = (key: string) => command('CreateEnvironment', { key, name: key });
const createFlag = (key: string) => command('CreateFlag', { key, name: key });
const toggle = (key: string, on: boolean) => command('ToggleFlag', { key, environment: 'production', on });

/** Envelopes for one aggregate at chosen versions and sequences (whatever the state says). */
function envelope(decision: Omit<Decision, 'events'> & { events?: Decision['events'] }, sequence: number): EventEnvelope {
  const events = decision.events ?? [{ type: 'FlagToggled', data: { environment: 'production', on: true } }];
  const [e] = stampEvents({ ...decision, events }, meta(), { lastSequence: sequence - 1, lastHash: `h${sequence - 1}` }, () => `evt-${sequence}`);
  return e;
}

function seeded(): { state: FlagpoleState; log: EventEnvelope[] } {
  const state = FlagpoleState.empty();
  const log = [...execute(state, createEnvironment('production')), ...execute(state, createFlag('checkout'))];
  return { state, log };
}

describe('FlagpoleState', () => {
  it('starts empty at sequence 0 on the genesis hash', () => {
    const state = FlagpoleState.empty();
    expect(state.lastSequence).toBe(0);
    expect(state.lastHash).toBe(GENESIS_HASH);
    expect(state.flag('flag:checkout')).toEqual({ status: 'absent', version: 0 });
    expect([...state.flags()]).toEqual([]);
  });

  it('folds applied events into the aggregate they belong to', () => {
    const { state, log } = seeded();
    expect(log.map((e) => [e.aggregateId, e.version, e.sequence])).toEqual([
      ['environment:production', 1, 1],
      ['flag:checkout', 1, 2],
    ]);
    expect(state.environment('environment:production')).toMatchObject({ status: 'active', version: 1, key: 'production' });
    expect(state.flag('flag:checkout')).toMatchObject({ status: 'active', version: 1, key: 'checkout' });
    expect(state.versionOf('flag', 'flag:checkout')).toBe(1);
    expect(state.versionOf('segment', 'segment:production/beta')).toBe(0);
  });

  describe('apply', () => {
    it('is idempotent for an event at or below the aggregate’s version', () => {
      const { state, log } = seeded();
      const [toggled] = execute(state, toggle('checkout', true));
      const before = state.flag('flag:checkout');
      expect(state.apply(toggled)).toBe('duplicate');
      expect(state.apply(log[1])).toBe('duplicate');
      expect(state.flag('flag:checkout')).toBe(before);
      expect(state.lastSequence).toBe(3);
      expect(state.lastHash).toBe(toggled.hash);
    });

    it('applies the same log once when replayed into a fresh state, and ignores the replay', () => {
      const { state, log } = seeded();
      log.push(...execute(state, toggle('checkout', true)));
      const replica = FlagpoleState.empty();
      expect(log.map((e) => replica.apply(e))).toEqual(['applied', 'applied', 'applied']);
      expect(log.map((e) => replica.apply(e))).toEqual(['duplicate', 'duplicate', 'duplicate']);
      expect(replica.flag('flag:checkout')).toEqual(state.flag('flag:checkout'));
      expect([replica.lastSequence, replica.lastHash]).toEqual([state.lastSequence, state.lastHash]);
    });

    it('throws on a version gap and leaves the state as it was', () => {
      const { state } = seeded();
      const before = state.flag('flag:checkout');
      const skipping = envelope({ aggregateType: 'flag', aggregateId: 'flag:checkout', baseVersion: 2 }, 3);
      expect(skipping.version).toBe(3);
      expect(() => state.apply(skipping)).toThrow('version gap for flag:checkout: state at 1, event at 3');
      expect(state.flag('flag:checkout')).toBe(before);
      expect(state.lastSequence).toBe(2);
    });

    it('throws on a first event that is not version 1', () => {
      const state = FlagpoleState.empty();
      const late = envelope({ aggregateType: 'environment', aggregateId: 'environment:qa', baseVersion: 1, events: [{ type: 'EnvironmentCreated', data: { key: 'qa', name: 'QA', description: '', production: false } }] }, 1);
      expect(() => state.apply(late)).toThrow('version gap for environment:qa: state at 0, event at 2');
    });

    it('moves the head only forward: it follows the highest sequence applied', () => {
      const state = FlagpoleState.empty();
      const created = (key: string) => ({ type: 'EnvironmentCreated' as const, data: { key, name: key, description: '', production: false } });
      const later = envelope({ aggregateType: 'environment', aggregateId: 'environment:b', baseVersion: 0, events: [created('b')] }, 7);
      const earlier = envelope({ aggregateType: 'environment', aggregateId: 'environment:a', baseVersion: 0, events: [created('a')] }, 5);
      expect(state.apply(later)).toBe('applied');
      expect(state.apply(earlier)).toBe('applied');
      expect(state.lastSequence).toBe(7);
      expect(state.lastHash).toBe(later.hash);
      expect(state.environment('environment:a')).toMatchObject({ status: 'active', key: 'a' });
    });
  });

  describe('fork and commit', () => {
    it('keeps a fork’s changes invisible to the root until commit', () => {
      const { state: root } = seeded();
      const fork = root.fork();
      const events = [...execute(fork, toggle('checkout', true)), ...execute(fork, createFlag('banner'))];

      expect(fork.flag('flag:checkout')).toMatchObject({ version: 2, environments: { production: { on: true } } });
      expect(fork.flag('flag:banner')).toMatchObject({ status: 'active', version: 1 });
      expect([fork.lastSequence, fork.lastHash]).toEqual([4, events[1].hash]);

      expect(root.flag('flag:checkout')).toMatchObject({ version: 1, environments: {} });
      expect(root.flag('flag:banner')).toEqual({ status: 'absent', version: 0 });
      expect([...root.flags()].map((f) => f.status === 'absent' ? '' : f.key)).toEqual(['checkout']);
      expect(root.lastSequence).toBe(2);

      fork.commit();
      expect(root.flag('flag:checkout')).toBe(fork.flag('flag:checkout'));
      expect(root.flag('flag:banner')).toMatchObject({ status: 'active', version: 1 });
      expect([root.lastSequence, root.lastHash]).toEqual([4, events[1].hash]);
    });

    it('leaves the root unchanged when a fork is dropped', () => {
      const { state: root } = seeded();
      const flagBefore = root.flag('flag:checkout');
      const head = [root.lastSequence, root.lastHash];
      const fork = root.fork();
      execute(fork, toggle('checkout', true));
      execute(fork, createEnvironment('staging'));
      expect(root.flag('flag:checkout')).toBe(flagBefore);
      expect(root.environment('environment:staging')).toEqual({ status: 'absent', version: 0 });
      expect([...root.environments()]).toHaveLength(1);
      expect([root.lastSequence, root.lastHash]).toEqual(head);
      // A later fork starts from the untouched root.
      expect(root.fork().flag('flag:checkout')).toBe(flagBefore);
    });

    it('lists each aggregate once in a fork, with the fork’s version of changed ones', () => {
      const { state: root } = seeded();
      execute(root, createFlag('banner'));
      const fork = root.fork();
      execute(fork, toggle('checkout', true));
      execute(fork, createFlag('upsell'));
      const listed = [...fork.flags()].map((f) => (f.status === 'absent' ? '?' : `${f.key}@${f.version}`));
      expect(listed.sort()).toEqual(['banner@1', 'checkout@2', 'upsell@1']);
    });

    it('decides against the fork’s own uncommitted changes', () => {
      const { state: root } = seeded();
      const fork = root.fork();
      execute(fork, toggle('checkout', true));
      expect(execute(fork, toggle('checkout', true))).toEqual([]);
      expect(execute(root.fork(), toggle('checkout', true))).toHaveLength(1);
    });

    it('commits only a fork', () => {
      expect(() => FlagpoleState.empty().commit()).toThrow('only a fork can be committed');
    });

    it('stacks forks: a fork of a fork reaches the root only through both commits, and a dropped one never', () => {
      const { state: root } = seeded();
      const batch = root.fork();
      const tried = batch.fork();
      execute(tried, toggle('checkout', true));
      expect(batch.flag('flag:checkout').version).toBe(1);
      const kept = batch.fork();
      execute(kept, toggle('checkout', true));
      kept.commit();
      expect(batch.flag('flag:checkout').version).toBe(2);
      expect(root.flag('flag:checkout').version).toBe(1);
      batch.commit();
      expect(root.flag('flag:checkout')).toMatchObject({ version: 2, environments: { production: { on: true } } });
      expect([...batch.flags()].filter((f) => f.version === 2)).toHaveLength(1);
    });

    it('can keep deciding on a fork after committing it', () => {
      const { state: root } = seeded();
      const fork = root.fork();
      execute(fork, toggle('checkout', true));
      fork.commit();
      execute(fork, toggle('checkout', false));
      expect(root.flag('flag:checkout')).toMatchObject({ version: 2, environments: { production: { on: true } } });
      fork.commit();
      expect(root.flag('flag:checkout')).toMatchObject({ version: 3, environments: { production: { on: false } } });
      expect(root.lastSequence).toBe(4);
    });
  });
});
