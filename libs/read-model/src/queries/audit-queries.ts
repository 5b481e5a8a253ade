import { aggregateIds, type AggregateType, type EnvironmentScope } from '@flagpole/domain';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditEntryEntity } from '../entities/read-model.entities';
import { toView } from '../entities/entity-mappers';
import type { AuditEntry } from '../model/read-model.types';
import { decodeSequenceCursor, encodeCursor, pageLimit } from './cursor';
import { AUDIT_SCOPE_SQL } from './scope';

/** Filters of the audit trail; all optional, combined with AND. */
export interface AuditFilter {
  /** An actor id (`token:<id>`) or an actor name. */
  readonly actor?: string;
  /** Inclusive lower bound, ISO-8601. */
  readonly from?: string;
  /** Exclusive upper bound, ISO-8601. */
  readonly to?: string;
  /** An aggregate id such as `flag:checkout` or `environment:production`. */
  readonly aggregateId?: string;
  readonly aggregateType?: AggregateType;
  /** Event types (any of). */
  readonly eventTypes?: readonly string[];
  readonly changeRequestId?: string;
  /** The reader's environment scope (see scope.ts); `*` or absent sees everything. */
  readonly scope?: EnvironmentScope;
}

export type SortOrder = 'asc' | 'desc';

export interface AuditPageRequest {
  /** The opaque cursor of the previous page's `nextCursor`. */
  readonly cursor?: string;
  readonly limit?: number;
  readonly order?: SortOrder;
  /** Rows above this sequence are left out (export pins the head it started at). */
  readonly upTo?: number;
}

export interface AuditPage {
  readonly items: readonly AuditEntry[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * One page of the audit trail, keyset-paged on `sequence` (the primary key), newest or oldest
 * first. The cursor is opaque; a bad one is a 400 naming `cursor`.
 */
export async function auditQuery(manager: EntityManager, filter: AuditFilter, page: AuditPageRequest = {}): Promise<AuditPage> {
  const limit = pageLimit(page.limit);
  const after = decodeSequenceCursor(page.cursor);
  const order = page.order ?? 'asc';
  const query = filtered(manager, filter);
  if (after !== undefined) query.andWhere(order === 'asc' ? 'a.sequence > :after' : 'a.sequence < :after', { after: String(after) });
  if (page.upTo !== undefined) query.andWhere('a.sequence <= :upTo', { upTo: String(page.upTo) });
  const rows = await query.orderBy('a.sequence', order === 'asc' ? 'ASC' : 'DESC').limit(limit + 1).getMany();
  const items = rows.slice(0, limit).map(toView.audit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ after: last.sequence }) : null };
}

/**
 * A flag's history: its audit rows, cursor-paged (the benchmark and the history route call
 * this). Undefined when the flag never existed, so callers can answer 404.
 *
 * @example flagHistory(dataSource.manager, 'checkout', undefined, 50)
 */
export async function flagHistory(
  manager: EntityManager,
  key: string,
  cursor?: string,
  limit?: number,
  options: { readonly order?: SortOrder; readonly scope?: EnvironmentScope } = {},
): Promise<AuditPage | undefined> {
  const page = await auditQuery(manager, { aggregateId: aggregateIds.flag(key), scope: options.scope }, { cursor, limit, order: options.order });
  if (page.items.length === 0 && !(await aggregateExists(manager, aggregateIds.flag(key)))) return undefined;
  return page;
}

/**
 * The filtered audit trail in ascending pages of `pageSize`, up to `upTo`: the export reads this
 * and writes each page out before asking for the next, so memory stays at one page.
 */
export async function* auditPages(manager: EntityManager, filter: AuditFilter, options: { readonly upTo: number; readonly pageSize?: number }): AsyncGenerator<readonly AuditEntry[]> {
  const pageSize = options.pageSize ?? 1000;
  for (let after = 0; ; ) {
    const rows = await filtered(manager, filter)
      .andWhere('a.sequence > :after', { after: String(after) })
      .andWhere('a.sequence <= :upTo', { upTo: String(options.upTo) })
      .orderBy('a.sequence', 'ASC')
      .limit(pageSize)
      .getMany();
    if (rows.length === 0) return;
    const page = rows.map(toView.audit);
    yield page;
    if (rows.length < pageSize) return;
    after = page[page.length - 1]!.sequence;
  }
}

/** Whether the log holds any event of the aggregate (an index lookup). */
export async function aggregateExists(manager: EntityManager, aggregateId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query('SELECT 1 FROM audit_trail WHERE aggregate_id = $1 LIMIT 1', [aggregateId]);
  return rows.length > 0;
}

function filtered(manager: EntityManager, filter: AuditFilter): SelectQueryBuilder<AuditEntryEntity> {
  const query = manager.createQueryBuilder(AuditEntryEntity, 'a').where('TRUE');
  if (filter.actor !== undefined) query.andWhere('(a.actor_id = :actor OR a.actor_name = :actor)', { actor: filter.actor });
  if (filter.from !== undefined) query.andWhere('a.time >= :from', { from: filter.from });
  if (filter.to !== undefined) query.andWhere('a.time < :to', { to: filter.to });
  if (filter.aggregateId !== undefined) query.andWhere('a.aggregate_id = :aggregateId', { aggregateId: filter.aggregateId });
  if (filter.aggregateType !== undefined) query.andWhere('a.aggregate_type = :aggregateType', { aggregateType: filter.aggregateType });
  if (filter.eventTypes !== undefined && filter.eventTypes.length > 0) query.andWhere('a.event_type = ANY(:eventTypes)', { eventTypes: [...filter.eventTypes] });
  if (filter.changeRequestId !== undefined) query.andWhere('a.change_request_id = :changeRequestId', { changeRequestId: filter.changeRequestId });
  if (filter.scope !== undefined && filter.scope !== '*') query.andWhere(AUDIT_SCOPE_SQL, { scope: [...filter.scope] });
  return query;
}
