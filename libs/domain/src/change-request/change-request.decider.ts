import { scopeIncludes, roleAtLeast } from '../token/token.types';
import { checkExpiresAt } from '../flag/flag.validation';
import { assertNever } from '../shared/assert-never';
import { DomainError, throwIfProblems } from '../shared/domain-error';
import { checkKey, checkText } from '../shared/keys';
import type { Problem } from '../shared/problem.types';
import type {
  ApplyChangeRequest,
  CancelChangeRequest,
  ChangeRequestCommand,
  OpenChangeRequest,
  ReviewChangeRequest,
} from './change-request.commands';
import type { ChangeRequestEvent } from './change-request.events';
import { isPending, type ChangeRequestState, type ExistingChangeRequest } from './change-request.state';
import { effectivePolicy, type Authority, type ChangeRequestContext, type ProposedChangeInput, type StaleConflict } from './change-request.types';

const DAY_MS = 86_400_000;
export const DEFAULT_CHANGE_REQUEST_LIFETIME_DAYS = 14;
export const MAX_PROPOSED_CHANGES = 50;

export function decideChangeRequest(command: ChangeRequestCommand, state: ChangeRequestState, ctx: ChangeRequestContext): readonly ChangeRequestEvent[] {
  switch (command.type) {
    case 'OpenChangeRequest':
      return open(command, state, ctx);
    case 'ReviewChangeRequest':
      return review(command, pending(state, command.data.id, 'reviewed', command.meta.now), ctx);
    case 'ApplyChangeRequest':
      return apply(command, existing(state, command.data.id), ctx);
    case 'CancelChangeRequest':
      return cancel(command, pending(state, command.data.id, 'cancelled'));
    case 'ExpireChangeRequest': {
      const request = existing(state, command.data.id);
      // The scheduler may race a review or an apply; an already-closed request is left alone.
      if (!isPending(request) || Date.parse(command.meta.now) < Date.parse(request.expiresAt)) return [];
      return [{ type: 'ChangeRequestExpired', data: { at: command.meta.now } }];
    }
    default:
      return assertNever(command, 'change request command');
  }
}

function open(command: OpenChangeRequest, state: ChangeRequestState, ctx: ChangeRequestContext): readonly ChangeRequestEvent[] {
  const d = command.data;
  const now = command.meta.now;
  const problems: Problem[] = [...checkKey(d.id, 'id'), ...checkText(d.title, 'title', 200, true), ...checkText(d.description, 'description', 4000, false)];
  if (!Array.isArray(d.changes) || d.changes.length === 0 || d.changes.length > MAX_PROPOSED_CHANGES) {
    problems.push({ field: 'changes', problem: `must be an array of 1-${MAX_PROPOSED_CHANGES} changes` });
  }
  problems.push(...checkExpiresAt(d.applyAt ?? undefined, 'applyAt'), ...checkExpiresAt(d.expiresAt ?? undefined, 'expiresAt'));
  throwIfProblems(problems);
  const applyAt = typeof d.applyAt === 'string' ? new Date(d.applyAt).toISOString() : null;
  const expiresAt = typeof d.expiresAt === 'string' ? new Date(d.expiresAt).toISOString() : new Date(Date.parse(now) + DEFAULT_CHANGE_REQUEST_LIFETIME_DAYS * DAY_MS).toISOString();
  if (applyAt !== null && applyAt <= now) problems.push({ field: 'applyAt', problem: 'must be in the future' });
  if (expiresAt <= now) problems.push({ field: 'expiresAt', problem: 'must be in the future' });
  else if (applyAt !== null && expiresAt <= applyAt) problems.push({ field: 'expiresAt', problem: 'must be after applyAt' });
  throwIfProblems(problems);
  if (state.status !== 'absent') throw new DomainError('already_exists', `change request "${d.id}" already exists`, [], state.version);
  if (!roleAtLeast(d.author.role, 'editor')) throw forbidden(`opening a change request needs the editor role; the token has ${d.author.role}`);
  const preview = ctx.preview(d.changes as readonly ProposedChangeInput[]);
  if (preview.changes.some((c) => c.type === 'SetApprovalPolicy') && d.author.role !== 'admin') {
    throw forbidden('only admin tokens may propose a change to an approval policy');
  }
  requireScope(d.author, preview.environments, 'propose these changes');
  return [
    {
      type: 'ChangeRequestOpened',
      data: {
        id: d.id,
        title: (d.title as string).trim(),
        description: typeof d.description === 'string' ? d.description : '',
        author: command.meta.actor,
        environments: preview.environments,
        changes: preview.changes,
        risk: preview.risk,
        openedAt: now,
        applyAt,
        expiresAt,
      },
    },
  ];
}

function review(command: ReviewChangeRequest, request: ExistingChangeRequest, ctx: ChangeRequestContext): readonly ChangeRequestEvent[] {
  const { decision, comment, reviewer } = command.data;
  throwIfProblems([
    ...(decision === 'approve' || decision === 'decline' ? [] : [{ field: 'decision', problem: 'must be "approve" or "decline"' }]),
    ...checkText(comment, 'comment', 2000, false),
  ]);
  if (!roleAtLeast(reviewer.role, 'approver')) throw forbidden(`reviewing needs the approver or admin role; the token has ${reviewer.role}`);
  requireScope(reviewer, request.environments, 'review this request');
  const actor = command.meta.actor;
  const policy = effectivePolicy(ctx.policiesOf(request.environments));
  const isAuthor = actor.id === request.author.id;
  if (isAuthor && !policy.allowSelfApproval) throw forbidden('the author of a change request cannot review it; the policy does not allow self-approval');
  if (request.reviews.some((r) => r.reviewer.id === actor.id)) {
    throw new DomainError('invalid_state', `${actor.name} has already reviewed this change request; a reviewer counts once`, [], request.version);
  }
  const counted = decision === 'approve';
  const events: ChangeRequestEvent[] = [
    { type: 'ChangeRequestReviewed', data: { reviewer: actor, decision: decision as 'approve' | 'decline', comment: typeof comment === 'string' ? comment : '', at: command.meta.now, counted } },
  ];
  if (decision === 'decline' && policy.declineBlocks) {
    events.push({ type: 'ChangeRequestDeclined', data: { by: actor.id } });
  } else if (counted && request.status === 'open') {
    const approvals = [...countedApprovals(request, policy.allowSelfApproval), actor.id];
    if (approvals.length >= policy.requiredApprovals) {
      events.push({ type: 'ChangeRequestApproved', data: { approvals, requiredApprovals: policy.requiredApprovals } });
    }
  }
  return events;
}

function apply(command: ApplyChangeRequest, request: ExistingChangeRequest, ctx: ChangeRequestContext): readonly ChangeRequestEvent[] {
  const now = command.meta.now;
  if (request.status === 'applied') throw new DomainError('invalid_state', `change request "${request.id}" was already applied`, [], request.version);
  if (!isPending(request)) throw new DomainError('invalid_state', `change request "${request.id}" is ${request.status} and cannot be applied`, [], request.version);
  const applier = command.data.applier;
  if (!roleAtLeast(applier.role, 'editor')) throw forbidden(`applying needs the editor role; the token has ${applier.role}`);
  requireScope(applier, request.environments, 'apply this request');
  // Past its expiry the request is closed for good: the refusal is recorded, the handler answers 409.
  if (Date.parse(now) >= Date.parse(request.expiresAt)) return [{ type: 'ChangeRequestExpired', data: { at: now } }];
  if (request.applyAt !== null && now < request.applyAt) {
    throw new DomainError('invalid_state', `change request "${request.id}" is scheduled for ${request.applyAt}; it is applied then`, [], request.version);
  }
  // The policies may have changed since the approvals came in: they are checked as they are now.
  const policy = effectivePolicy(ctx.policiesOf(request.environments));
  const approvals = countedApprovals(request, policy.allowSelfApproval);
  const declines = request.reviews.filter((r) => r.decision === 'decline');
  if (policy.declineBlocks && declines.length > 0) {
    throw new DomainError('approval_required', `change request "${request.id}" was declined`, declines.map((r) => ({ field: 'reviews', problem: `declined by ${r.reviewer.name}` })));
  }
  if (approvals.length < policy.requiredApprovals) {
    throw new DomainError('approval_required', `change request "${request.id}" has ${approvals.length} of ${policy.requiredApprovals} required approvals`, [
      { field: 'reviews', problem: `needs ${policy.requiredApprovals - approvals.length} more approval(s) from approvers other than the author` },
    ]);
  }
  const conflicts = staleConflicts(request, ctx);
  if (conflicts.length > 0) return [{ type: 'ChangeRequestMarkedStale', data: { conflicts, at: now } }];
  return [{ type: 'ChangeRequestApplied', data: { approvals, requiredApprovals: policy.requiredApprovals, appliedAt: now, scheduled: command.data.scheduled === true } }];
}

function cancel(command: CancelChangeRequest, request: ExistingChangeRequest): readonly ChangeRequestEvent[] {
  const canceller = command.data.canceller;
  if (command.meta.actor.id !== request.author.id && canceller.role !== 'admin') throw forbidden('only the author or an admin may cancel a change request');
  return [{ type: 'ChangeRequestCancelled', data: { at: command.meta.now } }];
}

/** The first change to an aggregate names the version it builds on; later ones build on the earlier. */
function staleConflicts(request: ExistingChangeRequest, ctx: ChangeRequestContext): StaleConflict[] {
  const seen = new Set<string>();
  const conflicts: StaleConflict[] = [];
  for (const change of request.changes) {
    if (seen.has(change.aggregateId)) continue;
    seen.add(change.aggregateId);
    const currentVersion = ctx.versionOf(change.aggregateId);
    if (currentVersion !== change.baseVersion) conflicts.push({ aggregateId: change.aggregateId, baseVersion: change.baseVersion, currentVersion });
  }
  return conflicts;
}

/** Approvals that count: one per reviewer, the author's only when self-approval is allowed. */
export function countedApprovals(request: ExistingChangeRequest, allowSelfApproval = false): string[] {
  return request.reviews
    .filter((r) => r.decision === 'approve' && (allowSelfApproval || r.reviewer.id !== request.author.id))
    .map((r) => r.reviewer.id);
}

function requireScope(authority: Authority, environments: readonly string[], what: string): void {
  const outside = environments.filter((env) => !scopeIncludes(authority.environments, env));
  if (outside.length > 0) throw forbidden(`the token is not scoped to ${outside.map((e) => `"${e}"`).join(', ')}, so it cannot ${what}`);
}

function forbidden(message: string): DomainError {
  return new DomainError('forbidden', message);
}

function existing(state: ChangeRequestState, id: string): ExistingChangeRequest {
  if (state.status === 'absent') throw DomainError.notFound(`change request "${id}"`);
  return state;
}

function pending(state: ChangeRequestState, id: string, what: string, now?: string): ExistingChangeRequest {
  const request = existing(state, id);
  if (!isPending(request)) throw new DomainError('invalid_state', `change request "${id}" is ${request.status} and cannot be ${what}`, [], request.version);
  if (now !== undefined && Date.parse(now) >= Date.parse(request.expiresAt)) {
    throw new DomainError('invalid_state', `change request "${id}" expired at ${request.expiresAt} and cannot be ${what}`, [], request.version);
  }
  return request;
}

export function evolveChangeRequest(state: ChangeRequestState, event: ChangeRequestEvent): ChangeRequestState {
  const version = state.version + 1;
  if (event.type === 'ChangeRequestOpened') {
    return { ...event.data, status: 'open', version, reviews: [], appliedApprovals: [], closedAt: null, conflicts: [] };
  }
  const request = existing(state, '?');
  switch (event.type) {
    case 'ChangeRequestReviewed':
      return { ...request, version, reviews: [...request.reviews, event.data] };
    case 'ChangeRequestApproved':
      return { ...request, version, status: 'approved' };
    case 'ChangeRequestDeclined':
      return { ...request, version, status: 'declined', closedAt: request.reviews[request.reviews.length - 1]?.at ?? null };
    case 'ChangeRequestApplied':
      return { ...request, version, status: 'applied', appliedApprovals: event.data.approvals, closedAt: event.data.appliedAt };
    case 'ChangeRequestMarkedStale':
      return { ...request, version, status: 'stale', conflicts: event.data.conflicts, closedAt: event.data.at };
    case 'ChangeRequestCancelled':
      return { ...request, version, status: 'cancelled', closedAt: event.data.at };
    case 'ChangeRequestExpired':
      return { ...request, version, status: 'expired', closedAt: event.data.at };
    default:
      return assertNever(event, 'change request event');
  }
}
