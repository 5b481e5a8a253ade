import type { Actor } from '../shared/command-metadata.types';
import type { EnvironmentEvent } from '../environment/environment.events';
import type { FlagEvent } from '../flag/flag.events';
import type { SegmentEvent } from '../segment/segment.events';
import type { TokenEvent } from '../token/token.events';
import type { ApprovalPolicyEvent } from '../approval-policy/approval-policy.events';
import type { ChangeRequestEvent } from '../change-request/change-request.events';

export type AggregateType = 'environment' | 'flag' | 'segment' | 'token' | 'approvalPolicy' | 'changeRequest';

export type DomainEvent = EnvironmentEvent | FlagEvent | SegmentEvent | TokenEvent | ApprovalPolicyEvent | ChangeRequestEvent;

/**
 * An event as it stands in the log of record (DESIGN.md decision 5): the fact plus its provenance,
 * its place in the global gap-free sequence, and its link in the SHA-256 hash chain.
 */
export type EventEnvelope = DomainEvent & {
  readonly id: string;
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  /** 1 for an aggregate's first event, then +1 per event. */
  readonly version: number;
  /** ISO-8601. */
  readonly time: string;
  readonly actor: Actor;
  readonly reason: string | null;
  readonly correlationId: string;
  readonly changeRequestId: string | null;
  readonly sequence: number;
  readonly prevHash: string;
  readonly hash: string;
};

export const aggregateIds = {
  environment: (key: string) => `environment:${key}`,
  flag: (key: string) => `flag:${key}`,
  segment: (environment: string, key: string) => `segment:${environment}/${key}`,
  token: (id: string) => `token:${id}`,
  /** One policy per environment, versioned apart from the environment itself. */
  approvalPolicy: (environment: string) => `approval-policy:${environment}`,
  changeRequest: (id: string) => `change-request:${id}`,
} as const;

const ID_PREFIXES: Readonly<Record<string, AggregateType>> = {
  environment: 'environment',
  flag: 'flag',
  segment: 'segment',
  token: 'token',
  'approval-policy': 'approvalPolicy',
  'change-request': 'changeRequest',
};

/** The aggregate type an id (as made by `aggregateIds`) belongs to. */
export function aggregateTypeOfId(aggregateId: string): AggregateType {
  const type = ID_PREFIXES[aggregateId.slice(0, aggregateId.indexOf(':'))];
  if (!type) throw new Error(`not an aggregate id: ${aggregateId}`);
  return type;
}
