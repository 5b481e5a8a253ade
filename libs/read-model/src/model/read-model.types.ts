import type { AggregateType, ApprovalPolicy, ChangeRequestStatus, EnvironmentScope, EventEnvelope, ExistingChangeRequest, FlagKind, Role, SegmentRules, Variants } from '@flagpole/domain';
import type { FlagEnvironmentConfig, FlagType } from '@flagpole/evaluation';
import type { DiffEntry } from '../diff/json-diff';

/**
 * The read models as plain data: what the query side returns and what the checksum covers.
 * Times are ISO-8601 strings (UTC, milliseconds), sequences plain numbers.
 */
interface Tracked {
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Global sequence of the last event that changed the row: a consistency token for it. */
  readonly lastSequence: number;
}

export interface EnvironmentView extends Tracked {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly production: boolean;
}

export interface FlagView extends Tracked {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly kind: FlagKind;
  readonly owner: string;
  readonly tags: readonly string[];
  readonly expiresAt: string | null;
  readonly type: FlagType;
  readonly variants: Variants;
  readonly onVariant: string;
  readonly offVariant: string;
  readonly status: 'active' | 'archived';
}

/** A flag's configuration in one environment somebody configured or toggled. */
export interface FlagEnvironmentView {
  readonly flagKey: string;
  readonly environment: string;
  readonly on: boolean;
  readonly config: FlagEnvironmentConfig;
  /** The flag's version when this environment's configuration last changed. */
  readonly version: number;
  readonly updatedAt: string;
  readonly lastSequence: number;
}

export interface SegmentView extends Tracked {
  readonly environment: string;
  readonly key: string;
  readonly status: 'active' | 'deleted';
  /** Null once deleted: the domain forgets a deleted segment's definition; the audit trail keeps it. */
  readonly name: string | null;
  readonly description: string | null;
  readonly rules: SegmentRules | null;
}

/** Only the secret's SHA-256 ever reaches the log, so only that is here. */
export interface TokenView extends Tracked {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly environments: EnvironmentScope;
  readonly secretHash: string;
  readonly expiresAt: string | null;
  readonly status: 'active' | 'revoked';
}

/** An environment's approval policy (issue 6). */
export interface ApprovalPolicyView extends Tracked {
  readonly environment: string;
  readonly policy: ApprovalPolicy;
}

/**
 * A change request: the columns the list filters on, and the whole request as the domain holds
 * it (`request`), which is also what a restarted projector folds on from.
 */
export interface ChangeRequestView extends Tracked {
  readonly id: string;
  readonly status: ChangeRequestStatus;
  readonly title: string;
  readonly authorId: string;
  readonly environments: readonly string[];
  /** Keys of the flags the changes touch. */
  readonly flagKeys: readonly string[];
  /** Everyone who reviewed, approving or declining. */
  readonly reviewerIds: readonly string[];
  readonly openedAt: string;
  readonly applyAt: string | null;
  readonly expiresAt: string;
  readonly closedAt: string | null;
  readonly request: Omit<ExistingChangeRequest, 'version'>;
}

/** One row of the append-only audit trail: one event, where it sat in Kafka, and what it changed. */
export interface AuditEntry {
  readonly sequence: number;
  readonly eventId: string;
  readonly eventType: EventEnvelope['type'];
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  readonly version: number;
  readonly time: string;
  readonly actorId: string;
  readonly actorName: string;
  readonly reason: string | null;
  readonly correlationId: string;
  readonly changeRequestId: string | null;
  readonly diff: readonly DiffEntry[];
  readonly prevHash: string;
  readonly hash: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  readonly offset: string;
  /** The event exactly as the log holds it; its hash can be recomputed from this alone. */
  readonly payload: EventEnvelope;
}

/**
 * Per aggregate: the version of the last event applied (the next must be version + 1). Every
 * aggregate the log names has one, including those whose state stays absent and so has no row.
 */
export interface AggregatePosition {
  readonly aggregateId: string;
  readonly aggregateType: AggregateType;
  readonly version: number;
  readonly lastSequence: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The head of the applied chain and where to resume reading each partition. */
export interface ProjectionHead {
  readonly lastSequence: number;
  readonly lastHash: string;
  /** partition → offset of the next record to read (after the last applied event there). */
  readonly partitionOffsets: Readonly<Record<string, string>>;
}
