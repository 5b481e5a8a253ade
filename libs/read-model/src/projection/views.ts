import type { AggregatePosition, ApprovalPolicyView, ChangeRequestView, EnvironmentView, FlagEnvironmentView, FlagView, SegmentView, TokenView } from '../model/read-model.types';
import type { AggregateRecord } from './aggregate-record';

/**
 * Records → read-model rows. An aggregate whose state is still `absent` has no row; a deleted
 * segment keeps one (status `deleted`) so its key, version and times stay queryable.
 */
export function environmentView(record: AggregateRecord): EnvironmentView | undefined {
  if (record.aggregateType !== 'environment' || record.state.status === 'absent') return undefined;
  const { key, name, description, production } = record.state;
  return { key, name, description, production, ...tracked(record) };
}

export function flagView(record: AggregateRecord): FlagView | undefined {
  if (record.aggregateType !== 'flag' || record.state.status === 'absent') return undefined;
  const { key, type, variants, onVariant, offVariant, status, metadata } = record.state;
  return {
    key,
    name: metadata.name,
    description: metadata.description,
    kind: metadata.kind,
    owner: metadata.owner,
    tags: metadata.tags,
    expiresAt: metadata.expiresAt,
    type,
    variants,
    onVariant,
    offVariant,
    status,
    ...tracked(record),
  };
}

/** The row of one environment of a flag, as of the event that just changed it. */
export function flagEnvironmentView(record: AggregateRecord, environment: string): FlagEnvironmentView | undefined {
  if (record.aggregateType !== 'flag' || record.state.status === 'absent') return undefined;
  const config = record.state.environments[environment];
  if (!config) return undefined;
  return { flagKey: record.state.key, environment, on: config.on, config, version: record.version, updatedAt: record.updatedAt, lastSequence: record.lastSequence };
}

export function segmentView(record: AggregateRecord): SegmentView | undefined {
  if (record.aggregateType !== 'segment' || record.state.status === 'absent') return undefined;
  const state = record.state;
  if (state.status === 'active') {
    const { environment, key, name, description, rules } = state;
    return { environment, key, status: 'active', name, description, rules, ...tracked(record) };
  }
  const { environment, key } = segmentKeyOf(record.aggregateId);
  return { environment, key, status: 'deleted', name: null, description: null, rules: null, ...tracked(record) };
}

export function tokenView(record: AggregateRecord): TokenView | undefined {
  if (record.aggregateType !== 'token' || record.state.status === 'absent') return undefined;
  const { tokenId, name, role, environments, secretHash, expiresAt, status } = record.state;
  return { id: tokenId, name, role, environments, secretHash, expiresAt, status, ...tracked(record) };
}

export function approvalPolicyView(record: AggregateRecord): ApprovalPolicyView | undefined {
  if (record.aggregateType !== 'approvalPolicy' || record.state.status === 'absent') return undefined;
  const { environment, policy } = record.state;
  return { environment, policy, ...tracked(record) };
}

export function changeRequestView(record: AggregateRecord): ChangeRequestView | undefined {
  if (record.aggregateType !== 'changeRequest' || record.state.status === 'absent') return undefined;
  const { version: _version, ...request } = record.state;
  const flagKeys = [...new Set(request.changes.flatMap((c) => (c.aggregateId.startsWith('flag:') ? [c.aggregateId.slice('flag:'.length)] : [])))].sort();
  return {
    id: request.id,
    status: request.status,
    title: request.title,
    authorId: request.author.id,
    environments: request.environments,
    flagKeys,
    reviewerIds: request.reviews.map((r) => r.reviewer.id),
    openedAt: request.openedAt,
    applyAt: request.applyAt,
    expiresAt: request.expiresAt,
    closedAt: request.closedAt,
    request,
    ...tracked(record),
  };
}

export function positionOf(record: AggregateRecord): AggregatePosition {
  const { aggregateId, aggregateType, version, lastSequence, createdAt, updatedAt } = record;
  return { aggregateId, aggregateType, version, lastSequence, createdAt, updatedAt };
}

/** `segment:<environment>/<key>` (see aggregateIds in libs/domain). */
export function segmentKeyOf(aggregateId: string): { environment: string; key: string } {
  const rest = aggregateId.slice('segment:'.length);
  const slash = rest.indexOf('/');
  return { environment: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

function tracked(record: AggregateRecord) {
  return { version: record.state.version, createdAt: record.createdAt, updatedAt: record.updatedAt, lastSequence: record.lastSequence };
}
