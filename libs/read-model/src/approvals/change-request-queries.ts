import { DomainError, type ChangeRequestStatus, type EnvironmentScope } from '@flagpole/domain';
import type { EntityManager } from 'typeorm';
import { ChangeRequestEntity } from '../entities/read-model.entities';
import { toView } from '../entities/entity-mappers';
import type { ChangeRequestView } from '../model/read-model.types';

export const CHANGE_REQUEST_STATUSES: readonly ChangeRequestStatus[] = ['open', 'approved', 'applied', 'declined', 'stale', 'cancelled', 'expired'];

export interface ChangeRequestFilter {
  readonly status?: ChangeRequestStatus;
  readonly environment?: string;
  readonly flag?: string;
  /** Actor id, e.g. `token:<id>`. */
  readonly author?: string;
  /** Actor id of anyone who reviewed it. */
  readonly reviewer?: string;
  /** Requests reaching none of these environments are left out. */
  readonly scope: EnvironmentScope;
}

export type ChangeRequestSummary = Omit<ChangeRequestView, 'request'> & Pick<ChangeRequestView['request'], 'author' | 'reviews' | 'changes' | 'description'>;

export interface ChangeRequestPage {
  readonly items: readonly ChangeRequestSummary[];
  /** Pass as `cursor` for the next page; null on the last. */
  readonly nextCursor: string | null;
}

/** Newest first (by opening time, then id), keyset-paged; every filter uses an index. */
export async function listChangeRequests(manager: EntityManager, filter: ChangeRequestFilter, page: { readonly cursor?: string; readonly limit?: number } = {}): Promise<ChangeRequestPage> {
  const limit = Math.min(Math.max(1, Math.trunc(page.limit ?? 50)), 500);
  const query = manager.createQueryBuilder(ChangeRequestEntity, 'c');
  if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
  if (filter.environment) query.andWhere('c.environments @> ARRAY[:environment]::text[]', { environment: filter.environment });
  if (filter.flag) query.andWhere('c.flag_keys @> ARRAY[:flag]::text[]', { flag: filter.flag });
  if (filter.author) query.andWhere('c.author_id = :author', { author: filter.author });
  if (filter.reviewer) query.andWhere('c.reviewer_ids @> ARRAY[:reviewer]::text[]', { reviewer: filter.reviewer });
  if (filter.scope !== '*') query.andWhere('c.environments && :scope::text[]', { scope: filter.scope });
  const after = decodeCursor(page.cursor);
  if (after) query.andWhere('(c.opened_at, c.id) < (:openedAt::timestamptz, :id)', after);
  const rows = await query.orderBy('c.opened_at', 'DESC').addOrderBy('c.id', 'DESC').take(limit + 1).getMany();
  const items = rows.slice(0, limit).map((row) => summary(toView.changeRequest(row)));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify({ openedAt: last.openedAt, id: last.id })).toString('base64url') : null };
}

function summary({ request, ...view }: ChangeRequestView): ChangeRequestSummary {
  return { ...view, description: request.description, author: request.author, reviews: request.reviews, changes: request.changes };
}

function decodeCursor(raw: string | undefined): { openedAt: string; id: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { openedAt?: unknown; id?: unknown };
    if (typeof value.openedAt === 'string' && !Number.isNaN(Date.parse(value.openedAt)) && typeof value.id === 'string') return { openedAt: value.openedAt, id: value.id };
  } catch {
    // fall through: not ours
  }
  throw DomainError.validation([{ field: 'cursor', problem: 'is not a cursor this API returned (use nextCursor from the previous page)' }]);
}
