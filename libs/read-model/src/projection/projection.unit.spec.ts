import { FlagpoleState, type EventEnvelope } from '@flagpole/domain';
import { generateHistory } from '../../test/support/history';
import type { AggregateRecord } from './aggregate-record';
import { auditEntryOf, checkVersion, projectEvent, ProjectionError } from './project-event';
import { recordsFromRows } from './states-from-views';
import { environmentView, flagEnvironmentView, flagView, positionOf, segmentView, tokenView } from './views';

/** Folds events the way the projector does, keeping every aggregate's record. */
function fold(events: readonly EventEnvelope[]): Map<string, AggregateRecord> {
  const records = new Map<string, AggregateRecord>();
  for (const event of events) records.set(event.aggregateId, projectEvent(records.get(event.aggregateId), event).record);
  return records;
}

describe('projectEvent', () => {
  const history = generateHistory(3000, { seed: 11 });

  it('folds to exactly the state the writer holds (the domain FlagpoleState)', () => {
    const records = fold(history);
    const writer = FlagpoleState.empty();
    for (const event of history) writer.apply(event);
    for (const [id, record] of records) {
      expect(record.state).toEqual(writer[record.aggregateType](id));
    }
  });

  it('records the position from the events: version, sequence, first and last time', () => {
    const records = fold(history);
    const flagEvents = history.filter((e) => e.aggregateId === 'flag:flag-0');
    expect(records.get('flag:flag-0')).toMatchObject({
      version: flagEvents.length,
      lastSequence: flagEvents[flagEvents.length - 1]!.sequence,
      createdAt: flagEvents[0]!.time,
      updatedAt: flagEvents[flagEvents.length - 1]!.time,
    });
  });

  it('applies only the next version: older is a duplicate, a jump is a gap', () => {
    const [created, second] = history.filter((e) => e.aggregateId === 'flag:flag-0');
    const record = projectEvent(undefined, created!).record;
    expect(checkVersion(record, created!)).toBe('duplicate');
    expect(checkVersion(record, second!)).toBe('next');
    expect(checkVersion(record, { version: 3 })).toBe('gap');
    expect(() => projectEvent(record, created!)).toThrow(ProjectionError);
    expect(() => projectEvent(undefined, second!)).toThrow(expect.objectContaining({ kind: 'version_gap' }));
  });

  it('refuses an event the domain cannot apply', () => {
    const toggled = history.find((e) => e.type === 'FlagToggled')!;
    expect(() => projectEvent(undefined, { ...toggled, version: 1 })).toThrow(expect.objectContaining({ kind: 'invalid_event' }));
  });

  it('names the environment a configuration change touched', () => {
    const configured = history.find((e) => e.type === 'FlagEnvironmentConfigured')!;
    const records = fold(history.slice(0, history.indexOf(configured)));
    const projected = projectEvent(records.get(configured.aggregateId), configured);
    expect(projected.environment).toBe((configured.data as { environment: string }).environment);
    expect(projected.diff.length).toBeGreaterThan(0);
    expect(projected.diff.every((d) => d.path.startsWith(`/environments/${projected.environment}`))).toBe(true);
  });

  it('builds the audit entry from the event and where it sat in Kafka', () => {
    const event = history[5]!;
    expect(auditEntryOf(event, [], { partition: 2, offset: '41' })).toMatchObject({
      sequence: event.sequence,
      eventId: event.id,
      eventType: event.type,
      actorId: event.actor.id,
      actorName: event.actor.name,
      prevHash: event.prevHash,
      hash: event.hash,
      partition: 2,
      offset: '41',
      payload: event,
    });
  });
});

describe('read-model rows round-trip to domain states', () => {
  it('rows → states gives back every aggregate exactly, so a restarted projector continues identically', () => {
    const records = fold(generateHistory(4000, { seed: 5 }));
    const all = [...records.values()];
    const defined = <T>(xs: (T | undefined)[]) => xs.filter((x): x is T => x !== undefined);
    const flagEnvironments = all.flatMap((r) => (r.aggregateType === 'flag' && r.state.status !== 'absent' ? Object.keys(r.state.environments).map((env) => flagEnvironmentView(r, env)) : []));
    const restored = recordsFromRows({
      positions: all.map(positionOf),
      environments: defined(all.map(environmentView)),
      flags: defined(all.map(flagView)),
      flagEnvironments: defined(flagEnvironments),
      segments: defined(all.map(segmentView)),
      tokens: defined(all.map(tokenView)),
      approvalPolicies: [],
      changeRequests: [],
    });
    expect(restored.size).toBe(records.size);
    for (const [id, record] of records) expect(restored.get(id)).toEqual(record);
    expect(all.some((r) => r.aggregateType === 'flag' && r.state.status === 'archived')).toBe(true);
  });

  it('a deleted segment keeps a row without its definition and comes back as deleted', () => {
    const record: AggregateRecord = {
      aggregateType: 'segment',
      aggregateId: 'segment:production/beta',
      version: 2,
      lastSequence: 9,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-02T00:00:00.000Z',
      state: { status: 'deleted', version: 2 },
    };
    const view = segmentView(record)!;
    expect(view).toMatchObject({ environment: 'production', key: 'beta', status: 'deleted', name: null, rules: null, version: 2 });
    const restored = recordsFromRows({ positions: [positionOf(record)], environments: [], flags: [], flagEnvironments: [], segments: [view], tokens: [], approvalPolicies: [], changeRequests: [] });
    expect(restored.get(record.aggregateId)).toEqual(record);
  });
});
