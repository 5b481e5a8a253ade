import {
  evolveApprovalPolicy,
  evolveChangeRequest,
  evolveEnvironment,
  evolveFlag,
  evolveSegment,
  evolveToken,
  initialApprovalPolicyState,
  initialChangeRequestState,
  initialEnvironmentState,
  initialFlagState,
  initialSegmentState,
  initialTokenState,
  type ApprovalPolicyEvent,
  type ChangeRequestEvent,
  type EnvironmentEvent,
  type EventEnvelope,
  type FlagEvent,
  type SegmentEvent,
  type TokenEvent,
} from '@flagpole/domain';
import { diffAggregate } from '../diff/aggregate-diff';
import type { DiffEntry } from '../diff/json-diff';
import type { AuditEntry } from '../model/read-model.types';
import type { AggregateRecord, AggregateState } from './aggregate-record';

export type VersionCheck = 'next' | 'duplicate' | 'gap';

/**
 * DESIGN.md decision 6: an event is applied only when it is the next version of its aggregate.
 * At or below the current version it was applied before (redelivery, replay from an older offset).
 */
export function checkVersion(current: AggregateRecord | undefined, event: Pick<EventEnvelope, 'version'>): VersionCheck {
  const version = current?.version ?? 0;
  if (event.version <= version) return 'duplicate';
  return event.version === version + 1 ? 'next' : 'gap';
}

export class ProjectionError extends Error {
  constructor(
    readonly kind: 'version_gap' | 'invalid_event',
    message: string,
  ) {
    super(message);
  }
}

export interface ProjectedEvent {
  readonly record: AggregateRecord;
  readonly before: AggregateState;
  readonly diff: readonly DiffEntry[];
  /** For a flag event that changed one environment's configuration: that environment. */
  readonly environment?: string;
}

/**
 * Folds one event into its aggregate's record with the domain's own evolve functions — the same
 * code the writer decides with, so the read model cannot drift from the log's meaning — and says
 * what changed. Pure: the caller decides where the result goes.
 */
export function projectEvent(current: AggregateRecord | undefined, event: EventEnvelope): ProjectedEvent {
  const check = checkVersion(current, event);
  if (check !== 'next') {
    throw new ProjectionError('version_gap', `${event.aggregateId} is at version ${current?.version ?? 0}; event ${event.sequence} has version ${event.version}`);
  }
  if (current && current.aggregateType !== event.aggregateType) {
    throw new ProjectionError('invalid_event', `event ${event.sequence} names ${event.aggregateId} a ${event.aggregateType}, but it is a ${current.aggregateType}`);
  }
  const before = current?.state ?? initialStateOf(event.aggregateType);
  let state: AggregateState;
  try {
    state = evolveAggregate(before, event);
  } catch (error) {
    throw new ProjectionError('invalid_event', `event ${event.sequence} (${event.type}) cannot apply to ${event.aggregateId}: ${(error as Error).message}`);
  }
  const record = {
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    version: event.version,
    lastSequence: event.sequence,
    createdAt: current?.createdAt ?? event.time,
    updatedAt: event.time,
    state,
  } as AggregateRecord;
  const environment = event.type === 'FlagEnvironmentConfigured' || event.type === 'FlagToggled' ? event.data.environment : undefined;
  return { record, before, diff: diffAggregate(event.aggregateType, before, state), ...(environment === undefined ? {} : { environment }) };
}

export function initialStateOf(aggregateType: EventEnvelope['aggregateType']): AggregateState {
  switch (aggregateType) {
    case 'environment':
      return initialEnvironmentState;
    case 'flag':
      return initialFlagState;
    case 'segment':
      return initialSegmentState;
    case 'token':
      return initialTokenState;
    case 'approvalPolicy':
      return initialApprovalPolicyState;
    case 'changeRequest':
      return initialChangeRequestState;
    default:
      throw new ProjectionError('invalid_event', `unknown aggregate type ${String(aggregateType)}`);
  }
}

/**
 * One event into its aggregate's state with the domain's own evolve functions. No version check:
 * callers that need one use `projectEvent` (the projector) or check it themselves (as-of queries).
 */
export function evolveAggregate(state: AggregateState, event: EventEnvelope): AggregateState {
  switch (event.aggregateType) {
    case 'environment':
      return evolveEnvironment(state as never, event as EnvironmentEvent);
    case 'flag':
      return evolveFlag(state as never, event as FlagEvent);
    case 'segment':
      return evolveSegment(state as never, event as SegmentEvent);
    case 'token':
      return evolveToken(state as never, event as TokenEvent);
    case 'approvalPolicy':
      return evolveApprovalPolicy(state as never, event as ApprovalPolicyEvent);
    case 'changeRequest':
      return evolveChangeRequest(state as never, event as ChangeRequestEvent);
    default:
      throw new Error(`unknown aggregate type ${String(event.aggregateType)}`);
  }
}

/** Where an event was read from; facts of this copy of the log, not of the event. */
export interface LogLocation {
  readonly partition: number;
  readonly offset: string;
}

export function auditEntryOf(event: EventEnvelope, diff: readonly DiffEntry[], location: LogLocation): AuditEntry {
  return {
    sequence: event.sequence,
    eventId: event.id,
    eventType: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    version: event.version,
    time: event.time,
    actorId: event.actor.id,
    actorName: event.actor.name,
    reason: event.reason,
    correlationId: event.correlationId,
    changeRequestId: event.changeRequestId,
    diff,
    prevHash: event.prevHash,
    hash: event.hash,
    partition: location.partition,
    offset: location.offset,
    payload: event,
  };
}
