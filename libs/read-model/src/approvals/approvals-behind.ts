import { aggregateIds, type Actor, type EventEnvelope } from '@flagpole/domain';
import type { EntityManager } from 'typeorm';
import { jsonbKeyOrder } from '../database/jsonb-key-order';
import { AuditEntryEntity } from '../entities/read-model.entities';
import type { AuditEntry } from '../model/read-model.types';
import type { AuditPage } from '../queries/audit-queries';

/** One approval that counted when a change request was applied. */
export interface ApprovalGiven {
  readonly reviewer: Actor;
  readonly at: string;
  readonly comment: string;
}

/** The change request, and the approvers, standing behind an applied event. */
export interface ApprovalBehind {
  readonly changeRequestId: string;
  readonly title: string;
  readonly author: Actor;
  readonly requiredApprovals: number;
  /** The approvals the request was applied with, each from its review event. */
  readonly approvedBy: readonly ApprovalGiven[];
  /** The sequence of the request's `ChangeRequestApplied` event (same transaction as the change). */
  readonly appliedSequence: number;
}

export type AuditEntryWithApproval = AuditEntry & { readonly approval: ApprovalBehind | null };

export interface AuditPageWithApprovals {
  readonly items: readonly AuditEntryWithApproval[];
  readonly nextCursor: string | null;
}

/**
 * Folds one change request's events (in sequence order) into who approved it. Only approvals
 * named by `ChangeRequestApplied` count — the ones the quorum was checked with at apply — so a
 * request that was never applied has nothing behind it. Evidence comes from the log alone, not
 * from the change-request read model, so it is what `verify` vouches for.
 */
export function foldApprovalBehind(events: readonly EventEnvelope[]): ApprovalBehind | undefined {
  let opened: { id: string; title: string; author: Actor } | undefined;
  const reviews = new Map<string, ApprovalGiven>();
  for (const event of events) {
    switch (event.type) {
      case 'ChangeRequestOpened':
        opened = { id: event.data.id, title: event.data.title, author: event.data.author };
        break;
      case 'ChangeRequestReviewed':
        if (event.data.decision === 'approve') reviews.set(event.data.reviewer.id, { reviewer: event.data.reviewer, at: event.data.at, comment: event.data.comment });
        else reviews.delete(event.data.reviewer.id);
        break;
      case 'ChangeRequestApplied': {
        if (!opened) return undefined;
        const approvedBy = event.data.approvals.map((id) => reviews.get(id)).filter((r): r is ApprovalGiven => r !== undefined);
        return { changeRequestId: opened.id, title: opened.title, author: opened.author, requiredApprovals: event.data.requiredApprovals, approvedBy, appliedSequence: event.sequence };
      }
      default:
        break;
    }
  }
  return undefined;
}

/** For each request id, what stands behind the events it applied (read from the audit trail). */
export async function approvalsBehind(manager: EntityManager, changeRequestIds: readonly string[]): Promise<Map<string, ApprovalBehind>> {
  const ids = [...new Set(changeRequestIds)];
  const found = new Map<string, ApprovalBehind>();
  if (ids.length === 0) return found;
  const rows = await manager
    .getRepository(AuditEntryEntity)
    .createQueryBuilder('a')
    .select(['a.sequence', 'a.aggregateId', 'a.payload'])
    .where('a.aggregate_id = ANY(:ids)', { ids: ids.map((id) => aggregateIds.changeRequest(id)) })
    .andWhere('a.event_type IN (:...types)', { types: ['ChangeRequestOpened', 'ChangeRequestReviewed', 'ChangeRequestApplied'] })
    .orderBy('a.sequence', 'ASC')
    .getMany();
  const byRequest = new Map<string, EventEnvelope[]>();
  for (const row of rows) {
    const list = byRequest.get(row.aggregateId) ?? [];
    list.push(jsonbKeyOrder(row.payload) as EventEnvelope);
    byRequest.set(row.aggregateId, list);
  }
  for (const id of ids) {
    const behind = foldApprovalBehind(byRequest.get(aggregateIds.changeRequest(id)) ?? []);
    if (behind) found.set(id, behind);
  }
  return found;
}

/** A page of the audit trail with, on each event applied through a change request, its approvers. */
export async function withApprovals(manager: EntityManager, page: AuditPage): Promise<AuditPageWithApprovals> {
  const behind = await approvalsBehind(
    manager,
    page.items.flatMap((e) => (e.changeRequestId ? [e.changeRequestId] : [])),
  );
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((e) => ({ ...e, approval: e.changeRequestId ? (behind.get(e.changeRequestId) ?? null) : null })),
  };
}
