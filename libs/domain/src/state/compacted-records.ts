import type { FlagDefinition, SegmentDefinition } from '@flagpole/evaluation';
import { assertNever } from '../shared/assert-never';
import { aggregateIds, type EventEnvelope } from '../events/event-envelope.types';
import { environmentConfigOf, type ExistingFlag } from '../flag/flag.state';
import type { FlagpoleState } from './flagpole-state';

/** The value under `flag/<key>` in `flagpole.flags.<env>`: the flag as one environment evaluates it. */
export interface FlagStateRecord {
  readonly kind: 'flag';
  readonly flag: FlagDefinition;
  readonly version: number;
  readonly sequence: number;
  readonly updatedAt: string;
}

/** The value under `segment/<key>` in `flagpole.flags.<env>`. */
export interface SegmentStateRecord {
  readonly kind: 'segment';
  readonly segment: SegmentDefinition;
  readonly version: number;
  readonly sequence: number;
  readonly updatedAt: string;
}

export interface CompactedRecord {
  readonly environment: string;
  /** `flag/<key>` or `segment/<key>`. */
  readonly key: string;
  /** null is a tombstone: the flag or segment is gone from that environment. */
  readonly value: FlagStateRecord | SegmentStateRecord | null;
}

export function flagRecordKey(key: string): string {
  return `flag/${key}`;
}
export function segmentRecordKey(key: string): string {
  return `segment/${key}`;
}

/** The evaluable form of a flag in one environment. */
export function flagStateRecord(flag: ExistingFlag, environment: string, sequence: number, updatedAt: string): FlagStateRecord {
  return {
    kind: 'flag',
    flag: {
      key: flag.key,
      type: flag.type,
      variants: flag.variants,
      environments: { [environment]: environmentConfigOf(flag, environment) },
    },
    version: flag.version,
    sequence,
    updatedAt,
  };
}

/**
 * The compacted-state records a batch of events calls for, read from the state *after* the
 * batch (design decision 3): one record per touched flag or segment per environment, the last
 * word winning, tombstones for archived flags and deleted segments.
 */
export function compactedRecordsFor(events: readonly EventEnvelope[], state: FlagpoleState): CompactedRecord[] {
  const touched = new Map<string, { environment: string; key: string; build: () => CompactedRecord['value'] }>();
  const last = events[events.length - 1];
  if (!last) return [];
  const touch = (environment: string, key: string, build: () => CompactedRecord['value']) =>
    touched.set(`${environment}\u0000${key}`, { environment, key, build });
  const activeEnvironments = () =>
    [...state.environments()].flatMap((e) => (e.status === 'active' ? [e.key] : []));

  const touchFlag = (flagKey: string, environments: readonly string[]) => {
    for (const environment of environments) {
      touch(environment, flagRecordKey(flagKey), () => {
        const flag = state.flag(aggregateIds.flag(flagKey));
        return flag.status === 'active' ? flagStateRecord(flag, environment, last.sequence, last.time) : null;
      });
    }
  };

  for (const event of events) {
    switch (event.type) {
      case 'EnvironmentCreated':
        // A new environment starts with every live flag in its default (off) configuration.
        for (const flag of state.flags()) if (flag.status === 'active') touchFlag(flag.key, [event.data.key]);
        break;
      case 'FlagCreated':
      case 'FlagVariantsSet':
      case 'FlagArchived':
      case 'FlagRestored':
        touchFlag(flagKeyOf(event.aggregateId), activeEnvironments());
        break;
      case 'FlagEnvironmentConfigured':
      case 'FlagToggled':
        touchFlag(flagKeyOf(event.aggregateId), [event.data.environment]);
        break;
      case 'FlagMetadataUpdated':
        break; // metadata does not change evaluation
      case 'SegmentCreated':
      case 'SegmentUpdated':
      case 'SegmentDeleted': {
        const segment = state.segment(event.aggregateId);
        const [environment, key] = segmentKeyOf(event.aggregateId);
        touch(environment, segmentRecordKey(key), () =>
          segment.status === 'active'
            ? { kind: 'segment', segment: { key, ...segment.rules }, version: segment.version, sequence: last.sequence, updatedAt: last.time }
            : null,
        );
        break;
      }
      case 'TokenIssued':
      case 'TokenRevoked':
      case 'ApprovalPolicySet':
      case 'ChangeRequestOpened':
      case 'ChangeRequestReviewed':
      case 'ChangeRequestApproved':
      case 'ChangeRequestDeclined':
      case 'ChangeRequestApplied':
      case 'ChangeRequestMarkedStale':
      case 'ChangeRequestCancelled':
      case 'ChangeRequestExpired':
        break; // nothing an SDK evaluates; an applied request's flag changes are events of their own
      default:
        assertNever(event, 'event');
    }
  }
  return [...touched.values()].map(({ environment, key, build }) => ({ environment, key, value: build() }));
}

function flagKeyOf(aggregateId: string): string {
  return aggregateId.slice('flag:'.length);
}

function segmentKeyOf(aggregateId: string): [string, string] {
  const rest = aggregateId.slice('segment:'.length);
  const slash = rest.indexOf('/');
  return [rest.slice(0, slash), rest.slice(slash + 1)];
}
