import { FlagpoleState, type EventEnvelope, type ExistingFlag, type FlagState } from '@flagpole/domain';
import { evaluateFlag, InMemoryFlagStore } from '@flagpole/evaluation';
import { generateHistory } from '../../test/support/history';
import { replayAggregate, environmentFlagOf } from './as-of';
import { decodeKeyCursor, decodeSequenceCursor, encodeCursor, pageLimit } from './cursor';
import { environmentDocument } from './diff-queries';
import { explainWith } from './explain';
import { csvField, csvHeader, csvRow, jsonLine } from './export-format';
import { evaluationClock, parsePoint, pointFromParameters, requirePoint, type ResolvedPoint } from './query-point';
import { eventReach, flagInScope, scopeSees } from './scope';
import { auditEntryOf } from '../projection/project-event';

const history = generateHistory(2000, { seed: 3 });

describe('points in time', () => {
  it('reads digits as a sequence and a zoned ISO-8601 date-time as a time (normalised to UTC)', () => {
    expect(parsePoint('42', 'at')).toEqual({ sequence: 42 });
    expect(parsePoint(7, 'at')).toEqual({ sequence: 7 });
    expect(parsePoint('2025-03-14T15:02:00+01:00', 'at')).toEqual({ time: '2025-03-14T14:02:00.000Z' });
  });

  it('refuses local times, dates alone, negative or fractional sequences, naming the field', () => {
    for (const bad of ['2025-03-14T14:02:00', '2025-03-14', '-1', 1.5, 'yesterday', '', '2025-13-45T00:00:00Z']) {
      expect(parsePoint(bad, 'at')).toEqual({ field: 'at', problem: expect.any(String) });
    }
    expect(() => requirePoint('soon', 'to')).toThrow(expect.objectContaining({ code: 'validation_failed', problems: [expect.objectContaining({ field: 'to' })] }));
  });

  it('as-of needs exactly one of time and sequence', () => {
    expect(pointFromParameters({ sequence: '3' })).toEqual({ sequence: 3 });
    expect(pointFromParameters({ time: '2025-01-01T00:00:00Z' })).toEqual({ time: '2025-01-01T00:00:00.000Z' });
    expect(() => pointFromParameters({})).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ field: 'time' })] }));
    expect(() => pointFromParameters({ time: '2025-01-01T00:00:00Z', sequence: '3' })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ field: 'sequence' })] }));
    expect(() => pointFromParameters({ sequence: 'x' })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ field: 'sequence' })] }));
  });

  it('evaluates with the time asked for, else the time of the point’s event, else now', () => {
    const base = { sequence: 5, time: '2025-01-01T00:00:05.000Z' };
    expect(evaluationClock({ ...base, requested: { time: '2025-01-01T00:00:09.000Z' } })).toBe(Date.parse('2025-01-01T00:00:09.000Z'));
    expect(evaluationClock({ ...base, requested: { sequence: 5 } })).toBe(Date.parse(base.time));
    expect(evaluationClock({ sequence: 0, time: null, requested: { sequence: 0 } }, 1234)).toBe(1234);
  });
});

describe('cursors', () => {
  it('round-trip and stay opaque', () => {
    const cursor = encodeCursor({ after: 1234 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSequenceCursor(cursor)).toBe(1234);
    expect(decodeKeyCursor(encodeCursor({ afterKey: 'new-checkout' }))).toBe('new-checkout');
    expect(decodeSequenceCursor(undefined)).toBeUndefined();
  });

  it('refuse anything this API did not hand out, naming the field', () => {
    for (const bad of ['%%%', 'bm90IGpzb24', encodeCursor({ afterKey: 'x' }), Buffer.from('[1]').toString('base64url'), encodeCursor({ after: -3 })]) {
      expect(() => decodeSequenceCursor(bad)).toThrow(expect.objectContaining({ code: 'validation_failed', problems: [expect.objectContaining({ field: 'cursor' })] }));
    }
    expect(() => decodeKeyCursor(encodeCursor({ after: 3 }))).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('bound page sizes', () => {
    expect([pageLimit(undefined), pageLimit(0), pageLimit(10), pageLimit(10_000)]).toEqual([50, 1, 10, 500]);
  });
});

describe('environment scope of events', () => {
  const byType = (type: string) => history.find((e) => e.type === type)!;

  it('places environment, segment and per-environment flag events in their environment; the rest of a flag is global; tokens are administration', () => {
    const configured = byType('FlagEnvironmentConfigured') as Extract<EventEnvelope, { type: 'FlagEnvironmentConfigured' }>;
    expect(eventReach(configured)).toEqual({ kind: 'environment', environment: configured.data.environment });
    expect(eventReach(byType('FlagCreated'))).toEqual({ kind: 'global' });
    expect(eventReach({ aggregateType: 'segment', aggregateId: 'segment:staging/beta', type: 'SegmentDeleted', data: {} } as EventEnvelope)).toEqual({ kind: 'environment', environment: 'staging' });
    expect(eventReach({ aggregateType: 'environment', aggregateId: 'environment:prod', type: 'EnvironmentCreated', data: {} } as unknown as EventEnvelope)).toEqual({ kind: 'environment', environment: 'prod' });
    expect(eventReach({ aggregateType: 'token', aggregateId: 'token:1', type: 'TokenRevoked', data: {} } as EventEnvelope)).toEqual({ kind: 'administration' });
  });

  it("places an approval policy's events in its environment and change requests in administration", () => {
    const policy = { aggregateType: 'approvalPolicy', aggregateId: 'approval-policy:production', type: 'ApprovalPolicySet', data: {} } as unknown as EventEnvelope;
    expect(eventReach(policy)).toEqual({ kind: 'environment', environment: 'production' });
    expect(scopeSees(['production'], policy)).toBe(true);
    expect(scopeSees(['staging'], policy)).toBe(false);
    const request = { aggregateType: 'changeRequest', aggregateId: 'change-request:cr-1', type: 'ChangeRequestOpened', data: {} } as unknown as EventEnvelope;
    expect(eventReach(request)).toEqual({ kind: 'administration' });
  });

  it('lets a scoped reader see its environments and global flag events only', () => {
    const visible = history.filter((e) => scopeSees(['staging'], e));
    expect(visible.some((e) => e.aggregateType === 'token')).toBe(false);
    expect(visible.every((e) => { const r = eventReach(e); return r.kind === 'global' || (r.kind === 'environment' && r.environment === 'staging'); })).toBe(true);
    expect(history.every((e) => scopeSees('*', e))).toBe(true);
  });

  it('narrows a flag to the environments in scope', () => {
    const flag: FlagState = { status: 'active', version: 3, key: 'f', type: 'boolean', variants: { on: true, off: false }, onVariant: 'on', offVariant: 'off', metadata: { name: 'f', description: '', kind: 'release', owner: 'o', tags: [], expiresAt: null }, environments: { production: { on: true, offVariant: 'off', fallthrough: { variant: 'on' } }, staging: { on: false, offVariant: 'off', fallthrough: { variant: 'on' } } } };
    expect(Object.keys((flagInScope(flag, ['staging']) as ExistingFlag).environments)).toEqual(['staging']);
    expect(flagInScope(flag, '*')).toBe(flag);
  });
});

describe('replaying one aggregate', () => {
  it('gives exactly the state the writer holds after the same events', () => {
    const writer = FlagpoleState.empty();
    for (const event of history) writer.apply(event);
    const byAggregate = new Map<string, EventEnvelope[]>();
    for (const event of history) byAggregate.set(event.aggregateId, [...(byAggregate.get(event.aggregateId) ?? []), event]);
    for (const [id, events] of byAggregate) {
      const replayed = replayAggregate(events[0]!.aggregateType, events);
      const type = events[0]!.aggregateType as 'environment' | 'flag' | 'segment' | 'token';
      expect(replayed.state).toEqual(writer[type](id));
      expect(replayed.lastSequence).toBe(events[events.length - 1]!.sequence);
    }
  });

  it('refuses a history with a missing version', () => {
    const flagEvents = history.filter((e) => e.aggregateId === 'flag:flag-0');
    expect(() => replayAggregate('flag', [flagEvents[0]!, flagEvents[2]!])).toThrow(/version 3, expected 2/);
  });
});

describe('explainWith', () => {
  const point: ResolvedPoint = { sequence: 9, time: '2025-01-01T00:00:00.000Z', requested: { sequence: 9 } };
  const flag: ExistingFlag = {
    status: 'active',
    version: 4,
    key: 'checkout',
    type: 'boolean',
    variants: { on: true, off: false },
    onVariant: 'on',
    offVariant: 'off',
    metadata: { name: 'Checkout', description: '', kind: 'release', owner: 'o', tags: [], expiresAt: null },
    environments: { production: { on: true, offVariant: 'off', rules: [{ id: 'beta', condition: { attribute: 'targetingKey', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }], fallthrough: { variant: 'off' } } },
  };
  const segments = new Map([['beta', { status: 'active' as const, version: 2, environment: 'production', key: 'beta', name: 'Beta', description: '', rules: { included: ['u-1'] } }]]);

  it('answers as the engine does with the same records, and names the configuration, rule and segment versions', () => {
    const explained = explainWith('checkout', 'production', { environmentExists: true, flags: new Map([['checkout', flag]]), segments }, { targetingKey: 'u-1' }, { point, now: 0 });
    const store = new InMemoryFlagStore('production');
    store.putSegment({ key: 'beta', included: ['u-1'] });
    store.putFlag({ key: 'checkout', type: 'boolean', variants: flag.variants, environments: { production: flag.environments.production! } });
    expect(explained).toMatchObject({ ...evaluateFlag(store, 'checkout', { targetingKey: 'u-1' }, null), ruleId: 'beta', sequence: 9, configured: true, flagVersion: 4, segments: [{ key: 'beta', version: 2 }] });
    expect(explained.configuration).toBe(flag.environments.production);
  });

  it('serves the default configuration where nobody configured the flag', () => {
    const explained = explainWith('checkout', 'staging', { environmentExists: true, flags: new Map([['checkout', flag]]), segments: new Map() }, {}, { point, now: 0 });
    expect(explained).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED', configured: false, configuration: { on: false, offVariant: 'off', fallthrough: { variant: 'on' } } });
  });

  it('answers FLAG_NOT_FOUND with the caller’s default for an archived flag or a missing environment, as an SDK would', () => {
    const archived = explainWith('checkout', 'production', { environmentExists: true, flags: new Map([['checkout', { ...flag, status: 'archived' as const }]]), segments }, {}, { point, now: 0, defaultValue: true });
    expect(archived).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', configuration: null, flagStatus: 'archived' });
    const noEnvironment = explainWith('checkout', 'production', { environmentExists: false, flags: new Map([['checkout', flag]]), segments }, {}, { point, now: 0 });
    expect(noEnvironment).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });
});

describe('export formats', () => {
  const entry = auditEntryOf(history[10]!, [{ op: 'replace', path: '/on', before: false, after: true }], { partition: 0, offset: '3' });

  it('writes each JSON line as the event itself', () => {
    expect(JSON.parse(jsonLine(entry))).toEqual(entry.payload);
    expect(jsonLine(entry).endsWith('\n')).toBe(true);
  });

  it('writes CSV per RFC 4180, quoting commas, quotes and line breaks, with the event as the last column', () => {
    expect([csvField('plain'), csvField('a,b'), csvField('say "hi"'), csvField('two\nlines'), csvField(null), csvField(3)]).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '', '3']);
    expect(csvHeader().split(',').length).toBe(15);
    expect(csvRow(entry).endsWith('\r\n')).toBe(true);
    expect(csvRow(entry)).toContain(`"${JSON.stringify(entry.payload).replace(/"/g, '""')}"`);
  });
});

describe('environment documents for diffs', () => {
  it('keep what the environment evaluates and drop bookkeeping', () => {
    const flag = { status: 'active', version: 1, key: 'f', type: 'boolean', variants: { on: true, off: false }, onVariant: 'on', offVariant: 'off', metadata: { name: 'f', description: '', kind: 'release', owner: 'o', tags: [], expiresAt: null }, environments: {} } as const;
    const document = environmentDocument({
      environment: 'production',
      point: { sequence: 1, time: null, requested: { sequence: 1 } },
      details: { name: 'Production', description: '', production: true, version: 1 },
      flags: [environmentFlagOf(flag, 'production', 7)],
      segments: [],
    });
    expect(document).toEqual({
      environment: { name: 'Production', description: '', production: true },
      flags: { f: { status: 'active', type: 'boolean', variants: { on: true, off: false }, config: { on: false, offVariant: 'off', fallthrough: { variant: 'on' } } } },
      segments: {},
    });
  });
});
