import { createHash, type Hash } from 'node:crypto';
import type {
  AggregatePosition,
  AuditEntry,
  EnvironmentView,
  FlagEnvironmentView,
  FlagView,
  ProjectionHead,
  SegmentView,
  TokenView,
  ApprovalPolicyView,
  ChangeRequestView,
} from '../model/read-model.types';
import { canonicalJson, canonicalJsonText } from '../verify/canonical-json';

/** Bumped whenever what the checksum covers changes, so old and new figures are never compared. */
export const CHECKSUM_FORMAT = 'flagpole-read-model-checksum/v2';

/** The tables, in the order they enter the checksum. */
export const CHECKSUM_TABLES = [
  'environments',
  'flags',
  'flag_environments',
  'segments',
  'tokens',
  'approval_policies',
  'change_requests',
  'projection_position',
  'projection_head',
  'audit_trail',
] as const;
export type ChecksumTable = (typeof CHECKSUM_TABLES)[number];

export interface TableChecksum {
  readonly rows: number;
  readonly sha256: string;
}

export interface ReadModelChecksum {
  readonly format: string;
  /** SHA-256 over every table's checksum, in CHECKSUM_TABLES order. */
  readonly checksum: string;
  readonly tables: Readonly<Record<ChecksumTable, TableChecksum>>;
}

/** Every row's primary key, as the string the rows are ordered by. */
export const checksumKeys = {
  environments: (r: EnvironmentView) => r.key,
  flags: (r: FlagView) => r.key,
  flag_environments: (r: FlagEnvironmentView) => `${r.flagKey}\u0000${r.environment}`,
  segments: (r: SegmentView) => `${r.environment}\u0000${r.key}`,
  tokens: (r: TokenView) => r.id,
  approval_policies: (r: ApprovalPolicyView) => r.environment,
  change_requests: (r: ChangeRequestView) => r.id,
  projection_position: (r: AggregatePosition) => r.aggregateId,
} as const;

/**
 * What of a row the checksum covers. Everything derived from the events' content is in; where
 * this copy of the log happened to keep an event (Kafka partition and offset, the resume offsets
 * in the head) is out: a log mirrored to another cluster, or re-partitioned, holds the same
 * history at different offsets and must project to the same checksum.
 */
export const checksumRow = {
  audit: ({ partition: _p, offset: _o, ...content }: AuditEntry) => content,
  head: ({ lastSequence, lastHash }: ProjectionHead) => ({ lastSequence, lastHash }),
};

/**
 * A deterministic digest of the read models and the audit trail: rows in key order (compared
 * by UTF-16 code units, never by a database collation), each as RFC 8785 canonical JSON plus a
 * newline, SHA-256 per table, then SHA-256 over the tables. Pure: feed it rows, read the digest.
 */
export class ChecksumBuilder {
  private readonly results = new Map<ChecksumTable, TableChecksum>();
  private open?: { name: ChecksumTable; hash: Hash; rows: number; lastKey?: string | number };

  /** Starts a table; rows must then come in strictly ascending key order. */
  beginTable(name: ChecksumTable): this {
    if (this.open) throw new Error(`table ${this.open.name} is still open`);
    if (this.results.has(name)) throw new Error(`table ${name} was already added`);
    this.open = { name, hash: createHash('sha256'), rows: 0 };
    return this;
  }

  addRow(key: string | number, row: unknown): this {
    return this.addCanonicalRow(key, canonicalJson(row));
  }

  /** addRow with the row's canonical JSON already worked out (auditRowCanonicalJson). */
  addCanonicalRow(key: string | number, canonical: string): this {
    const open = this.open;
    if (!open) throw new Error('no table is open');
    if (open.lastKey !== undefined && !(key > open.lastKey)) {
      throw new Error(`${open.name}: rows must come in ascending key order (${String(open.lastKey)} then ${String(key)})`);
    }
    open.lastKey = key;
    open.hash.update(`${canonical}\n`);
    open.rows += 1;
    return this;
  }

  endTable(): this {
    const open = this.open;
    if (!open) throw new Error('no table is open');
    this.results.set(open.name, { rows: open.rows, sha256: open.hash.digest('hex') });
    this.open = undefined;
    return this;
  }

  /** Adds a whole table held in memory, sorting it by key first. */
  addTable<R>(name: ChecksumTable, rows: readonly R[], keyOf: (row: R) => string, project: (row: R) => unknown = (r) => r): this {
    const keyed = rows.map((row) => ({ key: keyOf(row), row }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.beginTable(name);
    for (const { key, row } of keyed) this.addRow(key, project(row));
    return this.endTable();
  }

  digest(): ReadModelChecksum {
    if (this.open) throw new Error(`table ${this.open.name} is still open`);
    const total = createHash('sha256').update(`${CHECKSUM_FORMAT}\n`);
    const tables = {} as Record<ChecksumTable, TableChecksum>;
    for (const name of CHECKSUM_TABLES) {
      const table = this.results.get(name);
      if (!table) throw new Error(`table ${name} is missing from the checksum`);
      tables[name] = table;
      total.update(`${name} ${table.rows} ${table.sha256}\n`);
    }
    return { format: CHECKSUM_FORMAT, checksum: total.digest('hex'), tables };
  }
}

/** An audit_trail row as the checksum reads it: `diff` and `payload` as their JSON text. */
export interface AuditTextRow {
  readonly sequence: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly version: number;
  readonly time: Date;
  readonly actor_id: string;
  readonly actor_name: string;
  readonly reason: string | null;
  readonly correlation_id: string;
  readonly change_request_id: string | null;
  readonly diff: string;
  readonly prev_hash: string;
  readonly hash: string;
  readonly payload: string;
}

/**
 * canonicalJson(checksumRow.audit(row as an AuditEntry)), written out directly: the members in
 * RFC 8785 order, and `diff` and `payload` canonicalised from their text (canonicalJsonText)
 * rather than parsed and walked. The checksum's bytes are the same (tests hold the two equal);
 * at a million rows this is most of a rebuild's checksum time.
 */
export function auditRowCanonicalJson(row: AuditTextRow): string {
  const s = JSON.stringify;
  return (
    `{"actorId":${s(row.actor_id)},"actorName":${s(row.actor_name)},"aggregateId":${s(row.aggregate_id)},"aggregateType":${s(row.aggregate_type)},` +
    `"changeRequestId":${s(row.change_request_id)},"correlationId":${s(row.correlation_id)},"diff":${canonicalText(row.diff)},` +
    `"eventId":${s(row.event_id)},"eventType":${s(row.event_type)},"hash":${s(row.hash)},"payload":${canonicalText(row.payload)},` +
    `"prevHash":${s(row.prev_hash)},"reason":${s(row.reason)},"sequence":${s(Number(row.sequence))},"time":${s(row.time.toISOString())},"version":${s(row.version)}}`
  );
}

function canonicalText(text: string): string {
  return canonicalJsonText(text) ?? canonicalJson(JSON.parse(text));
}
