import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * TypeORM entities of the read model. They describe rows, nothing more: map them to the plain
 * types in model/read-model.types.ts (entity-mappers.ts) before handing them to anyone. No
 * `schema` here: the data source's search_path chooses between `read_model` and a rebuild
 * schema. The tables are created by migrations only; a test checks these match them.
 * Postgres `bigint` comes back from pg as a string, so sequences and offsets are strings here.
 */

@Entity({ name: 'environments' })
export class EnvironmentEntity {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'boolean' }) production!: boolean;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
}

@Entity({ name: 'flags' })
@Index('flags_owner_idx', ['owner'])
export class FlagEntity {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'text' }) owner!: string;
  @Index('flags_tags_idx', { type: 'gin' }) @Column({ type: 'text', array: true }) tags!: string[];
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'jsonb' }) variants!: unknown;
  @Column({ name: 'on_variant', type: 'text' }) onVariant!: string;
  @Column({ name: 'off_variant', type: 'text' }) offVariant!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
}

@Entity({ name: 'flag_environments' })
@Index('flag_environments_environment_idx', ['environmentKey'])
export class FlagEnvironmentEntity {
  @PrimaryColumn({ name: 'flag_key', type: 'text' }) flagKey!: string;
  @PrimaryColumn({ name: 'environment_key', type: 'text' }) environmentKey!: string;
  @Column({ type: 'boolean' }) on!: boolean;
  @Column({ type: 'jsonb' }) config!: unknown;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
}

@Entity({ name: 'segments' })
export class SegmentEntity {
  @PrimaryColumn({ name: 'environment_key', type: 'text' }) environmentKey!: string;
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text', nullable: true }) name!: string | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'jsonb', nullable: true }) rules!: unknown;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
}

@Entity({ name: 'tokens' })
@Index('tokens_secret_hash_idx', ['secretHash'])
export class TokenEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) role!: string;
  @Column({ type: 'jsonb' }) environments!: unknown;
  @Column({ name: 'secret_hash', type: 'text' }) secretHash!: string;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
}

@Entity({ name: 'approval_policies' })
export class ApprovalPolicyEntity {
  @PrimaryColumn({ name: 'environment_key', type: 'text' }) environmentKey!: string;
  @Column({ type: 'jsonb' }) policy!: unknown;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
}

@Entity({ name: 'change_requests' })
@Index('change_requests_status_idx', ['status'])
@Index('change_requests_author_idx', ['authorId'])
export class ChangeRequestEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ name: 'author_id', type: 'text' }) authorId!: string;
  @Index('change_requests_environments_idx', { type: 'gin' }) @Column({ type: 'text', array: true }) environments!: string[];
  @Index('change_requests_flag_keys_idx', { type: 'gin' }) @Column({ name: 'flag_keys', type: 'text', array: true }) flagKeys!: string[];
  @Index('change_requests_reviewer_ids_idx', { type: 'gin' }) @Column({ name: 'reviewer_ids', type: 'text', array: true }) reviewerIds!: string[];
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt!: Date;
  @Column({ name: 'apply_at', type: 'timestamptz', nullable: true }) applyAt!: Date | null;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ type: 'jsonb' }) request!: unknown;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
}

@Entity({ name: 'audit_trail' })
@Index('audit_trail_event_id_idx', ['eventId'], { unique: true })
@Index('audit_trail_aggregate_version_idx', ['aggregateId', 'version'], { unique: true })
@Index('audit_trail_time_idx', ['time'])
@Index('audit_trail_aggregate_sequence_idx', ['aggregateId', 'sequence'])
@Index('audit_trail_change_request_idx', ['changeRequestId'])
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'bigint' }) sequence!: string;
  @Column({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ name: 'event_type', type: 'text' }) eventType!: string;
  @Column({ name: 'aggregate_type', type: 'text' }) aggregateType!: string;
  @Column({ name: 'aggregate_id', type: 'text' }) aggregateId!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'timestamptz' }) time!: Date;
  @Column({ name: 'actor_id', type: 'text' }) actorId!: string;
  @Column({ name: 'actor_name', type: 'text' }) actorName!: string;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId!: string;
  @Column({ name: 'change_request_id', type: 'text', nullable: true }) changeRequestId!: string | null;
  @Column({ type: 'json' }) diff!: unknown;
  @Column({ name: 'prev_hash', type: 'text' }) prevHash!: string;
  @Column({ type: 'text' }) hash!: string;
  @Column({ name: 'kafka_partition', type: 'integer' }) kafkaPartition!: number;
  @Column({ name: 'kafka_offset', type: 'bigint' }) kafkaOffset!: string;
  @Column({ type: 'json' }) payload!: unknown;
  @Column({ name: 'projected_at', type: 'timestamptz', default: () => 'now()' }) projectedAt!: Date;
}

@Entity({ name: 'projection_position' })
export class ProjectionPositionEntity {
  @PrimaryColumn({ name: 'aggregate_id', type: 'text' }) aggregateId!: string;
  @Column({ name: 'aggregate_type', type: 'text' }) aggregateType!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ name: 'projection_head' })
export class ProjectionHeadEntity {
  @PrimaryColumn({ type: 'smallint' }) id!: number;
  @Column({ type: 'text', nullable: true }) topic!: string | null;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
  @Column({ name: 'last_hash', type: 'text' }) lastHash!: string;
  @Column({ name: 'partition_offsets', type: 'jsonb' }) partitionOffsets!: unknown;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export const readModelEntities = [
  EnvironmentEntity,
  FlagEntity,
  FlagEnvironmentEntity,
  SegmentEntity,
  TokenEntity,
  ApprovalPolicyEntity,
  ChangeRequestEntity,
  AuditEntryEntity,
  ProjectionPositionEntity,
  ProjectionHeadEntity,
];
