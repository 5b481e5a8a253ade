import {
  aggregateIds,
  type ApprovalPolicyState,
  type ChangeRequestState,
  type EnvironmentConfigs,
  type EnvironmentState,
  type FlagState,
  type SegmentState,
  type TokenState,
} from '@flagpole/domain';
import type { AggregatePosition, ApprovalPolicyView, ChangeRequestView, EnvironmentView, FlagEnvironmentView, FlagView, SegmentView, TokenView } from '../model/read-model.types';
import type { AggregateRecord, AggregateState } from './aggregate-record';
import { initialStateOf } from './project-event';

/**
 * Read-model rows → the domain states they were projected from: the inverse of views.ts, so the
 * projector restarts from what Postgres holds instead of keeping a second copy of every state.
 * Exact for everything the writer produces (it normalises the timestamps the columns hold).
 */
export function environmentStateOf(view: EnvironmentView): EnvironmentState {
  const { key, name, description, production, version } = view;
  return { status: 'active', version, key, name, description, production };
}

export function flagStateOf(view: FlagView, environments: readonly FlagEnvironmentView[]): FlagState {
  const configs: Record<string, FlagEnvironmentView['config']> = {};
  for (const e of environments) configs[e.environment] = e.config;
  const { key, type, variants, onVariant, offVariant, status, version, name, description, kind, owner, tags, expiresAt } = view;
  return {
    status,
    version,
    key,
    type,
    variants,
    onVariant,
    offVariant,
    metadata: { name, description, kind, owner, tags, expiresAt },
    environments: configs as EnvironmentConfigs,
  };
}

export function segmentStateOf(view: SegmentView): SegmentState {
  if (view.status === 'deleted') return { status: 'deleted', version: view.version };
  const { environment, key, version } = view;
  return { status: 'active', version, environment, key, name: view.name ?? '', description: view.description ?? '', rules: view.rules ?? {} };
}

export function tokenStateOf(view: TokenView): TokenState {
  const { id, name, role, environments, secretHash, expiresAt, status, version } = view;
  return { tokenId: id, name, role, environments, secretHash, expiresAt, status, version };
}

export function approvalPolicyStateOf(view: ApprovalPolicyView): ApprovalPolicyState {
  return { status: 'active', version: view.version, environment: view.environment, policy: view.policy };
}

export function changeRequestStateOf(view: ChangeRequestView): ChangeRequestState {
  return { ...view.request, version: view.version };
}

/** A position plus the state its row holds; aggregates without a row (still absent) get the initial state. */
export function recordOf(position: AggregatePosition, state: AggregateState | undefined): AggregateRecord {
  const { aggregateId, aggregateType, version, lastSequence, createdAt, updatedAt } = position;
  return { aggregateId, aggregateType, version, lastSequence, createdAt, updatedAt, state: state ?? initialStateOf(aggregateType) } as AggregateRecord;
}

export interface ReadModelRows {
  readonly positions: readonly AggregatePosition[];
  readonly environments: readonly EnvironmentView[];
  readonly flags: readonly FlagView[];
  readonly flagEnvironments: readonly FlagEnvironmentView[];
  readonly segments: readonly SegmentView[];
  readonly tokens: readonly TokenView[];
  readonly approvalPolicies: readonly ApprovalPolicyView[];
  readonly changeRequests: readonly ChangeRequestView[];
}

/** Every aggregate's record from the stored rows, keyed by aggregate id. */
export function recordsFromRows(rows: ReadModelRows): Map<string, AggregateRecord> {
  const states = new Map<string, AggregateState>();
  for (const v of rows.environments) states.set(aggregateIds.environment(v.key), environmentStateOf(v));
  const environmentsOf = new Map<string, FlagEnvironmentView[]>();
  for (const e of rows.flagEnvironments) {
    const list = environmentsOf.get(e.flagKey) ?? [];
    list.push(e);
    environmentsOf.set(e.flagKey, list);
  }
  for (const v of rows.flags) states.set(aggregateIds.flag(v.key), flagStateOf(v, environmentsOf.get(v.key) ?? []));
  for (const v of rows.segments) states.set(aggregateIds.segment(v.environment, v.key), segmentStateOf(v));
  for (const v of rows.tokens) states.set(aggregateIds.token(v.id), tokenStateOf(v));
  for (const v of rows.approvalPolicies) states.set(aggregateIds.approvalPolicy(v.environment), approvalPolicyStateOf(v));
  for (const v of rows.changeRequests) states.set(aggregateIds.changeRequest(v.id), changeRequestStateOf(v));
  return new Map(rows.positions.map((p) => [p.aggregateId, recordOf(p, states.get(p.aggregateId))]));
}
