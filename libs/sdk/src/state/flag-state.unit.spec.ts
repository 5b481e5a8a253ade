import type { FlagStateRecord, SegmentStateRecord } from '@flagpole/domain';
import { evaluateFlag, type FlagEnvironmentConfig } from '@flagpole/evaluation';
import type { FlagpoleLogger } from '../logger';
import { flagDependencies } from './dependencies';
import { FlagState, type StateUpdate } from './flag-state';

const ENV = 'production';

function flag(key: string, version: number, config: Partial<FlagEnvironmentConfig> = {}): StateUpdate {
  const record: FlagStateRecord = {
    kind: 'flag',
    flag: { key, type: 'boolean', variants: { on: true, off: false }, environments: { [ENV]: { on: true, offVariant: 'off', fallthrough: { variant: 'on' }, ...config } } },
    version,
    sequence: version,
    updatedAt: `2026-01-01T00:00:${String(version).padStart(2, '0')}Z`,
  };
  return { kind: 'flag', key, record };
}

function segment(key: string, version: number, included: string[]): StateUpdate {
  const record: SegmentStateRecord = { kind: 'segment', segment: { key, included }, version, sequence: version, updatedAt: '2026-01-01T00:00:00Z' };
  return { kind: 'segment', key, record };
}

const gone = (kind: 'flag' | 'segment', key: string): StateUpdate => ({ kind, key, record: null });

function recordingLogger(): FlagpoleLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => undefined, info: () => undefined, warn: (_f, m) => void warnings.push(m), error: (_f, m) => void warnings.push(m) };
}

const segmentRule = (segmentKey: string): Partial<FlagEnvironmentConfig> => ({
  rules: [{ id: 'seg', condition: { attribute: 'targetingKey', operator: 'segment', values: [segmentKey] }, serve: { variant: 'on' } }],
  fallthrough: { variant: 'off' },
});

describe('FlagState', () => {
  it('applies records and tombstones, reporting each change once per batch', () => {
    const state = new FlagState(ENV, recordingLogger());
    expect(state.apply([flag('a', 1), flag('b', 1), flag('a', 2)])).toEqual({
      flags: [
        { key: 'a', type: 'added', cause: 'flag', version: 2 },
        { key: 'b', type: 'added', cause: 'flag', version: 1 },
      ],
      segments: [],
      flagKeys: ['a', 'b'],
    });
    expect(state.apply([gone('flag', 'a'), gone('flag', 'nothing')]).flags).toEqual([{ key: 'a', type: 'removed', cause: 'flag', previousVersion: 2 }]);
    expect(evaluateFlag(state.store, 'a', {}, 'dflt').errorCode).toBe('FLAG_NOT_FOUND');
    expect(state.flagKeys()).toEqual(['b']);
    // Added then removed within one batch is no change at all.
    expect(state.apply([flag('c', 1), gone('flag', 'c')]).flags).toEqual([]);
  });

  it('never goes backwards: ignores a record whose version is not newer than the one held', () => {
    const state = new FlagState(ENV, recordingLogger());
    state.apply([flag('a', 5)]);
    expect(state.apply([flag('a', 3, { on: false }), flag('a', 5, { on: false })]).flags).toEqual([]);
    expect(evaluateFlag(state.store, 'a', {}, false).reason).toBe('DEFAULT');
    expect(state.flagVersion('a')).toBe(5);
    expect(state.olderIgnored).toBe(1);
  });

  it('replaceAll makes the state equal to a complete read: removes keys the topic lacks, keeps a newer version held, leaves unchanged keys alone', () => {
    const logger = recordingLogger();
    const state = new FlagState(ENV, logger);
    state.apply([flag('kept', 1), flag('newer-held', 9), flag('vanished', 1), flag('updated', 1)]);
    const compiledBefore = state.store.getFlag('kept');
    const latest = new Map<string, StateUpdate>([
      ['flag/kept', flag('kept', 1)],
      ['flag/newer-held', flag('newer-held', 4, { on: false })],
      ['flag/updated', flag('updated', 2, { on: false })],
      ['flag/new', flag('new', 1)],
      ['flag/tombstoned', gone('flag', 'tombstoned')],
    ]);
    const changes = state.replaceAll(latest);
    expect(new Set(changes.flags.map((c) => `${c.key}:${c.type}`))).toEqual(new Set(['vanished:removed', 'updated:updated', 'new:added']));
    expect(state.flagVersion('newer-held')).toBe(9);
    expect(state.store.getFlag('kept')).toBe(compiledBefore); // not recompiled
    expect(state.flagKeys().sort()).toEqual(['kept', 'new', 'newer-held', 'updated']);
    expect(logger.warnings).toEqual([expect.stringContaining('older version')]);
  });

  it('names flags affected through a segment, and through prerequisites transitively', () => {
    const state = new FlagState(ENV, recordingLogger());
    state.apply([
      segment('beta', 1, ['u1']),
      flag('uses-beta', 1, segmentRule('beta')),
      flag('needs-uses-beta', 1, { prerequisites: [{ flag: 'uses-beta', variants: ['on'] }] }),
      flag('needs-needs', 1, { prerequisites: [{ flag: 'needs-uses-beta', variants: ['on'] }] }),
      flag('unrelated', 1),
    ]);
    const changes = state.apply([segment('beta', 2, ['u1', 'u2'])]);
    expect(changes.segments).toEqual([{ key: 'beta', type: 'updated', version: 2, previousVersion: 1 }]);
    expect(changes.flags).toEqual([
      { key: 'uses-beta', type: 'updated', cause: 'segment', version: 1, previousVersion: 1 },
      { key: 'needs-uses-beta', type: 'updated', cause: 'prerequisite', version: 1, previousVersion: 1 },
      { key: 'needs-needs', type: 'updated', cause: 'prerequisite', version: 1, previousVersion: 1 },
    ]);
    // Once uses-beta no longer references the segment, a segment change concerns nobody.
    state.apply([flag('uses-beta', 2)]);
    expect(state.apply([segment('beta', 3, [])]).flagKeys).toEqual([]);
  });

  it('keeps an invalid flag as one that evaluates to PARSE_ERROR (callers get defaults), and ignores malformed records', () => {
    const logger = recordingLogger();
    const state = new FlagState(ENV, logger);
    state.apply([flag('bad', 1, { offVariant: 'missing' })]);
    expect(evaluateFlag(state.store, 'bad', {}, 'dflt')).toMatchObject({ value: 'dflt', errorCode: 'PARSE_ERROR' });
    expect(state.flagVersion('bad')).toBe(1);
    const wrongKey = flag('x', 1);
    state.apply([{ kind: 'flag', key: 'y', record: wrongKey.record }]);
    expect(state.flagKeys()).toEqual(['bad']);
    expect(logger.warnings).toEqual([expect.stringContaining('invalid flag'), expect.stringContaining('malformed')]);
  });

  it('needs the clock only while some definition has a currentTime clause', () => {
    const state = new FlagState(ENV, recordingLogger());
    state.apply([flag('plain', 1)]);
    expect(state.needsClock).toBe(false);
    const timed: Partial<FlagEnvironmentConfig> = {
      rules: [{ id: 'launch', condition: { not: { attribute: 'currentTime', operator: 'before', values: ['2030-01-01'] } }, serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    };
    state.apply([flag('timed', 1, timed)]);
    expect(state.needsClock).toBe(true);
    state.apply([gone('flag', 'timed')]);
    expect(state.needsClock).toBe(false);
  });

  it('tracks the newest record time and exports records, segments first', () => {
    const state = new FlagState(ENV, recordingLogger());
    state.apply([flag('a', 3), segment('s', 1, []), flag('b', 2)]);
    expect(state.newestUpdatedAt).toBe('2026-01-01T00:00:03Z');
    expect(state.records().map((r) => r.kind)).toEqual(['segment', 'flag', 'flag']);
  });
});

describe('flagDependencies', () => {
  it('finds segments in nested conditions, prerequisites and currentTime clauses, and tolerates garbage', () => {
    const definition = flag('f', 1, {
      prerequisites: [{ flag: 'p', variants: ['on'] }],
      rules: [
        {
          id: 'r',
          condition: { any: [{ all: [{ attribute: 'x', operator: 'segment', values: ['s1', 's2'] }] }, { not: { attribute: 'currentTime', operator: 'after', values: [0] } }] },
          serve: { variant: 'on' },
        },
      ],
    }).record as FlagStateRecord;
    expect(flagDependencies(definition.flag, ENV)).toEqual({ segments: ['s1', 's2'], prerequisites: ['p'], usesCurrentTime: true });
    expect(flagDependencies(definition.flag, 'other-env')).toEqual({ segments: [], prerequisites: [], usesCurrentTime: false });
    expect(flagDependencies({ key: 'g', environments: { [ENV]: { rules: [null, { condition: 'nonsense' }] } } } as never, ENV)).toEqual({
      segments: [],
      prerequisites: [],
      usesCurrentTime: false,
    });
  });
});
