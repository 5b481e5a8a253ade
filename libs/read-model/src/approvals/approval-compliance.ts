import {
  aggregateIds,
  assessRisk,
  isPending,
  type ApprovalPolicyState,
  type ChangeRequestState,
  type EventEnvelope,
  type GovernedCommand,
  type RiskSubject,
} from '@flagpole/domain';
import type { EntityManager } from 'typeorm';
import { jsonbKeyOrder } from '../database/jsonb-key-order';
import { initialStateOf, evolveAggregate } from '../projection/project-event';
import type { AggregateState } from '../projection/aggregate-record';

export interface ComplianceEntry {
  readonly sequence: number;
  readonly time: string;
  readonly eventType: string;
  readonly aggregateId: string;
  readonly actorId: string;
  /** `change_request`: applied through an approved request; `direct`: a change the policy let through. */
  readonly via: 'change_request' | 'direct';
  readonly changeRequestId: string | null;
  readonly author: string | null;
  /** Distinct approvers other than the author (the author only where the policy allowed it). */
  readonly approvers: readonly string[];
  /** What the policy in force at the time required (0 for a direct change). */
  readonly requiredApprovals: number;
  /** Empty when the change is proven compliant. */
  readonly problems: readonly string[];
}

export interface ComplianceReport {
  readonly environment: string;
  readonly from: string;
  readonly to: string;
  readonly compliant: boolean;
  readonly changes: readonly ComplianceEntry[];
}

interface AuditPayloadRow {
  readonly payload: EventEnvelope;
}

/**
 * Proves from the audit trail alone — replaying the events, not trusting any read-model row —
 * that every change reaching `environment` in [from, to) had the approvals it needed:
 * - a change carrying a change request id: the request's own events show it was applied, with
 *   at least as many distinct approvers (never the author unless the policy allowed it and the
 *   writer counted them) as the policy in force at that moment required;
 * - a change without one: re-assessed against the policy in force just before it, and against
 *   the state of what it changed then, no risk rule applies.
 */
export async function approvalCompliance(manager: EntityManager, environment: string, from: string, to: string): Promise<ComplianceReport> {
  const period = (
    (await manager.query(
      `SELECT payload FROM audit_trail WHERE time >= $1 AND time < $2 AND aggregate_type IN ('flag', 'segment', 'approvalPolicy') ORDER BY sequence`,
      [from, to],
    )) as AuditPayloadRow[]
  )
    .map((r) => jsonbKeyOrder(r.payload))
    .filter((e) => reaches(e, environment) && e.type !== 'FlagCreated');
  if (period.length === 0) return { environment, from, to, compliant: true, changes: [] };
  const policyId = aggregateIds.approvalPolicy(environment);
  const requestIds = [...new Set(period.flatMap((e) => (e.changeRequestId ? [aggregateIds.changeRequest(e.changeRequestId)] : [])))];
  const ids = [...new Set([...period.map((e) => e.aggregateId), policyId, ...requestIds])];
  const last = period[period.length - 1]!.sequence;
  const history = (
    (await manager.query('SELECT payload FROM audit_trail WHERE aggregate_id = ANY($1) AND sequence <= $2 ORDER BY sequence', [ids, last])) as AuditPayloadRow[]
  ).map((r) => jsonbKeyOrder(r.payload));
  const requestEvents = new Map<string, EventEnvelope[]>();
  for (const e of history) if (e.aggregateType === 'changeRequest') requestEvents.set(e.aggregateId, [...(requestEvents.get(e.aggregateId) ?? []), e]);

  // Replay in sequence order, checking each change of the period against the states just before it.
  const states = new Map<string, AggregateState>();
  const stateOf = (e: Pick<EventEnvelope, 'aggregateId' | 'aggregateType'>) => states.get(e.aggregateId) ?? initialStateOf(e.aggregateType);
  const inPeriod = new Set(period.map((e) => e.sequence));
  const changes: ComplianceEntry[] = [];
  for (const event of history) {
    if (inPeriod.has(event.sequence)) {
      const policy = stateOf({ aggregateId: policyId, aggregateType: 'approvalPolicy' }) as ApprovalPolicyState;
      changes.push(
        event.changeRequestId
          ? throughRequest(event, policy, requestEvents.get(aggregateIds.changeRequest(event.changeRequestId)) ?? [])
          : direct(event, environment, policy, stateOf(event) as RiskSubject),
      );
    }
    states.set(event.aggregateId, evolveAggregate(stateOf(event), event));
  }
  return { environment, from, to, compliant: changes.every((c) => c.problems.length === 0), changes };
}

function throughRequest(event: EventEnvelope, policy: ApprovalPolicyState, requestEvents: readonly EventEnvelope[]): ComplianceEntry {
  const problems: string[] = [];
  const applied = requestEvents.find((e) => e.type === 'ChangeRequestApplied');
  let request: ChangeRequestState = initialStateOf('changeRequest') as ChangeRequestState;
  for (const e of requestEvents) if (applied && e.sequence <= applied.sequence) request = evolveAggregate(request, e) as ChangeRequestState;
  const base = { sequence: event.sequence, time: event.time, eventType: event.type, aggregateId: event.aggregateId, actorId: event.actor.id, via: 'change_request' as const, changeRequestId: event.changeRequestId };
  if (!applied || request.status === 'absent' || isPending(request)) {
    return { ...base, author: null, approvers: [], requiredApprovals: 0, problems: [`change request ${event.changeRequestId} was never applied`] };
  }
  if (applied.sequence > event.sequence || applied.correlationId !== event.correlationId) problems.push('the change was not written together with its request\'s application');
  if (!request.changes.some((c) => c.aggregateId === event.aggregateId)) problems.push(`change request ${request.id} does not propose a change to ${event.aggregateId}`);
  const appliedData = applied.type === 'ChangeRequestApplied' ? applied.data : undefined;
  const counted = new Set(appliedData?.approvals ?? []);
  const approvers = [...new Set(request.reviews.filter((r) => r.decision === 'approve' && (r.reviewer.id !== request.author.id || counted.has(r.reviewer.id))).map((r) => r.reviewer.id))];
  const required = Math.max(appliedData?.requiredApprovals ?? 1, policy.status === 'active' ? policy.policy.requiredApprovals : 1);
  if (approvers.length < required) problems.push(`${approvers.length} approval(s) where ${required} were required`);
  if (policy.status === 'active' && policy.policy.declineBlocks && request.reviews.some((r) => r.decision === 'decline')) problems.push('applied despite a decline the policy made blocking');
  return { ...base, author: request.author.id, approvers, requiredApprovals: required, problems };
}

function direct(event: EventEnvelope, environment: string, policy: ApprovalPolicyState, before: RiskSubject): ComplianceEntry {
  const command = commandOf(event);
  const reasons = command && policy.status === 'active' ? assessRisk({ environment, policy: policy.policy }, command, before) : [];
  return {
    sequence: event.sequence,
    time: event.time,
    eventType: event.type,
    aggregateId: event.aggregateId,
    actorId: event.actor.id,
    via: 'direct',
    changeRequestId: null,
    author: null,
    approvers: [],
    requiredApprovals: 0,
    problems: reasons.map((r) => `needed approval but none was given: ${r.problem}`),
  };
}

/** The command an event records, as the risk assessment reads it. */
function commandOf(event: EventEnvelope): GovernedCommand | undefined {
  const meta = { actor: event.actor, now: event.time, correlationId: event.correlationId };
  const key = event.aggregateId.slice(event.aggregateId.indexOf(':') + 1);
  switch (event.type) {
    case 'FlagToggled':
      return { type: 'ToggleFlag', data: { key, environment: event.data.environment, on: event.data.on }, meta };
    case 'FlagEnvironmentConfigured':
      return { type: 'ConfigureFlagEnvironment', data: { key, environment: event.data.environment, config: event.data.config }, meta };
    case 'FlagVariantsSet':
      return { type: 'SetFlagVariants', data: { key, ...event.data }, meta };
    case 'FlagArchived':
      return { type: 'ArchiveFlag', data: { key }, meta };
    case 'FlagRestored':
      return { type: 'RestoreFlag', data: { key }, meta };
    case 'FlagMetadataUpdated':
      return { type: 'UpdateFlagMetadata', data: { key, ...event.data.changes }, meta };
    case 'SegmentCreated':
    case 'SegmentUpdated':
    case 'SegmentDeleted': {
      const [environment = '', segment = ''] = key.split('/');
      const verb = event.type === 'SegmentCreated' ? 'CreateSegment' : event.type === 'SegmentUpdated' ? 'UpdateSegment' : 'DeleteSegment';
      return verb === 'DeleteSegment'
        ? { type: verb, data: { environment, key: segment }, meta }
        : { type: verb, data: { environment, key: segment, name: '', rules: {} }, meta };
    }
    case 'ApprovalPolicySet':
      return { type: 'SetApprovalPolicy', data: { environment: event.data.environment, policy: event.data.policy }, meta };
    default:
      return undefined;
  }
}

function reaches(event: EventEnvelope, environment: string): boolean {
  switch (event.aggregateType) {
    case 'flag':
      return event.type === 'FlagEnvironmentConfigured' || event.type === 'FlagToggled' ? event.data.environment === environment : true;
    case 'segment':
      return event.aggregateId.startsWith(`segment:${environment}/`);
    case 'approvalPolicy':
      return event.aggregateId === aggregateIds.approvalPolicy(environment);
    default:
      return false;
  }
}
