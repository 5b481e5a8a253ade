import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from '../approval-policy/approval-policy.types';
import type { Actor } from '../shared/command-metadata.types';
import { ACTOR, command, deciderSpec, NOW } from '../testing/decider-spec';
import type { ChangeRequestCommand } from './change-request.commands';
import { decideChangeRequest, evolveChangeRequest } from './change-request.decider';
import type { ChangeRequestEvent, ChangeRequestOpened, ChangeRequestReviewed } from './change-request.events';
import { initialChangeRequestState, type ChangeRequestState } from './change-request.state';
import type { Authority, ChangeRequestContext, ProposedChange } from './change-request.types';

const LATER = '2025-01-16T10:00:00.000Z';
const EXPIRES = '2025-01-29T10:00:00.000Z';
const ADMIN: Authority = { role: 'admin', environments: '*' };
const EDITOR: Authority = { role: 'editor', environments: ['production'] };
const APPROVER: Authority = { role: 'approver', environments: ['production'] };
const grace: Actor = { id: 'token:grace', name: 'Grace Hopper' };
const alan: Actor = { id: 'token:alan', name: 'Alan Turing' };
const edsger: Actor = { id: 'token:edsger', name: 'Edsger Dijkstra' };

const change: ProposedChange = { type: 'ToggleFlag', data: { key: 'checkout', environment: 'production', on: true }, aggregateId: 'flag:checkout', baseVersion: 3 };

/** The facts a test sets: policies in force, current versions; preview echoes the changes. */
function context(policy: Partial<ApprovalPolicy> | undefined = { requiredApprovals: 1 }, versions: Record<string, number> = { 'flag:checkout': 3 }): ChangeRequestContext {
  return {
    policiesOf: () => (policy ? [{ ...DEFAULT_APPROVAL_POLICY, ...policy }] : []),
    versionOf: (id) => versions[id] ?? 0,
    preview: () => ({
      changes: [change],
      environments: ['production'],
      risk: [{ rule: 'toggle', environment: 'production', field: 'rules.toggles', problem: 'turns flag "checkout" on in "production"' }],
    }),
  };
}

const spec = (ctx: ChangeRequestContext = context()) =>
  deciderSpec<ChangeRequestCommand, ChangeRequestEvent, ChangeRequestState>({
    decide: (cmd, state) => decideChangeRequest(cmd, state, ctx),
    evolve: evolveChangeRequest,
    initialState: initialChangeRequestState,
  });

const opened = (data: Partial<ChangeRequestOpened['data']> = {}): ChangeRequestOpened => ({
  type: 'ChangeRequestOpened',
  data: {
    id: 'cr-1',
    title: 'Launch checkout',
    description: '',
    author: ACTOR,
    environments: ['production'],
    changes: [change],
    risk: [{ rule: 'toggle', environment: 'production', field: 'rules.toggles', problem: 'turns flag "checkout" on in "production"' }],
    openedAt: NOW,
    applyAt: null,
    expiresAt: EXPIRES,
    ...data,
  },
});
const reviewed = (reviewer: Actor, decision: 'approve' | 'decline' = 'approve', comment = ''): ChangeRequestReviewed => ({
  type: 'ChangeRequestReviewed',
  data: { reviewer, decision, comment, at: NOW, counted: decision === 'approve' },
});

const open = (data: Partial<Extract<ChangeRequestCommand, { type: 'OpenChangeRequest' }>['data']> = {}) =>
  command('OpenChangeRequest', { id: 'cr-1', title: 'Launch checkout', changes: [{ type: 'ToggleFlag', data: change.data }], author: EDITOR, ...data });
const review = (actor: Actor, decision: unknown = 'approve', reviewer: Authority = APPROVER, now = NOW) =>
  command('ReviewChangeRequest', { id: 'cr-1', decision, reviewer }, { actor, now });
const apply = (applier: Authority = EDITOR, now = NOW, scheduled?: boolean) =>
  command('ApplyChangeRequest', { id: 'cr-1', applier, ...(scheduled === undefined ? {} : { scheduled }) }, { actor: alan, now });

describe('decideChangeRequest: OpenChangeRequest', () => {
  it('opens a request with the previewed changes, the environments they reach, their risk and a 14-day expiry', () => {
    const state = spec().given([]).when(open()).then([opened()]);
    expect(state).toMatchObject({ status: 'open', version: 1, reviews: [], closedAt: null });
  });

  it('keeps applyAt and expiresAt, normalised to ISO-8601 UTC', () => {
    spec()
      .given([])
      .when(open({ applyAt: '2025-01-16T11:00:00+01:00', expiresAt: '2025-01-20T10:00:00Z', description: 'why' }))
      .then([opened({ applyAt: LATER, expiresAt: '2025-01-20T10:00:00.000Z', description: 'why' })]);
  });

  it('reports every invalid field at once', () => {
    spec()
      .given([])
      .when(open({ id: 'Bad Id', title: ' ', changes: [], applyAt: 'tomorrow', expiresAt: 5 }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'id' }, { field: 'title' }, { field: 'changes' }, { field: 'applyAt' }, { field: 'expiresAt' }] });
  });

  it('refuses times in the past and an expiry before the schedule', () => {
    spec().given([]).when(open({ applyAt: '2025-01-01T00:00:00Z' })).thenThrows({ code: 'validation_failed', problems: [{ field: 'applyAt', problem: 'must be in the future' }] });
    spec().given([]).when(open({ expiresAt: NOW })).thenThrows({ code: 'validation_failed', problems: [{ field: 'expiresAt', problem: 'must be in the future' }] });
    spec()
      .given([])
      .when(open({ applyAt: '2025-01-20T00:00:00Z', expiresAt: '2025-01-19T00:00:00Z' }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'expiresAt', problem: 'must be after applyAt' }] });
  });

  it('refuses a duplicate id, viewers, and tokens not scoped to every environment the changes reach', () => {
    spec().given([opened()]).when(open()).thenThrows({ code: 'already_exists', currentVersion: 1 });
    spec().given([]).when(open({ author: { role: 'viewer', environments: '*' } })).thenThrows({ code: 'forbidden' });
    spec().given([]).when(open({ author: { role: 'editor', environments: ['staging'] } })).thenThrows({ code: 'forbidden' });
  });

  it('lets only admins propose a change to an approval policy', () => {
    const policyChange: ProposedChange = { type: 'SetApprovalPolicy', data: { environment: 'production', policy: {} }, aggregateId: 'approval-policy:production', baseVersion: 1 };
    const ctx: ChangeRequestContext = { ...context(), preview: () => ({ changes: [policyChange], environments: ['production'], risk: [] }) };
    spec(ctx).given([]).when(open({ author: EDITOR })).thenThrows({ code: 'forbidden' });
    spec(ctx).given([]).when(open({ author: ADMIN })).then([opened({ changes: [policyChange], risk: [] })]);
  });
});

describe('decideChangeRequest: ReviewChangeRequest', () => {
  it('approves with one approval when the policy needs one', () => {
    const state = spec()
      .given([opened()])
      .when(review(grace))
      .then([reviewed(grace), { type: 'ChangeRequestApproved', data: { approvals: ['token:grace'], requiredApprovals: 1 } }]);
    expect(state).toMatchObject({ status: 'approved', reviews: [reviewed(grace).data] });
  });

  it('needs two distinct approvers when the policy says two: one is not enough', () => {
    const two = spec(context({ requiredApprovals: 2 }));
    const afterOne = two.given([opened()]).when(review(grace)).then([reviewed(grace)]);
    expect(afterOne.status).toBe('open');
    two
      .given([opened(), reviewed(grace)])
      .when(review(alan))
      .then([reviewed(alan), { type: 'ChangeRequestApproved', data: { approvals: ['token:grace', 'token:alan'], requiredApprovals: 2 } }]);
  });

  it('counts a reviewer once', () => {
    spec(context({ requiredApprovals: 2 })).given([opened(), reviewed(grace)]).when(review(grace)).thenThrows({ code: 'invalid_state' });
  });

  it('refuses self-approval unless the policy allows it, and then counts the author', () => {
    spec().given([opened()]).when(review(ACTOR)).thenThrows({ code: 'forbidden' });
    spec(context({ allowSelfApproval: true }))
      .given([opened()])
      .when(review(ACTOR))
      .then([reviewed(ACTOR), { type: 'ChangeRequestApproved', data: { approvals: [ACTOR.id], requiredApprovals: 1 } }]);
  });

  it('refuses self-approval when no policy is in force (nobody allowed it)', () => {
    spec(context(undefined)).given([opened()]).when(review(ACTOR)).thenThrows({ code: 'forbidden' });
  });

  it('closes the request on one decline when the policy says so, and only records it otherwise', () => {
    spec(context({ declineBlocks: true })).given([opened()]).when(review(grace, 'decline')).then([reviewed(grace, 'decline'), { type: 'ChangeRequestDeclined', data: { by: 'token:grace' } }]);
    const state = spec(context({ declineBlocks: false, requiredApprovals: 2 })).given([opened()]).when(review(grace, 'decline')).then([reviewed(grace, 'decline')]);
    expect(state.status).toBe('open');
  });

  it.each([
    ['viewer', { role: 'viewer', environments: '*' }],
    ['editor', { role: 'editor', environments: '*' }],
    ['approver of another environment', { role: 'approver', environments: ['staging'] }],
    ['admin of another environment', { role: 'admin', environments: ['staging'] }],
  ] as const)('refuses a review by a %s', (_case, reviewer) => {
    spec().given([opened()]).when(review(grace, 'approve', reviewer)).thenThrows({ code: 'forbidden' });
  });

  it.each([
    ['approver in scope', APPROVER],
    ['approver scoped to *', { role: 'approver', environments: '*' }],
    ['admin in scope', { role: 'admin', environments: ['production', 'staging'] }],
  ] as const)('accepts a review by an %s', (_case, reviewer) => {
    spec().given([opened()]).when(review(grace, 'approve', reviewer)).then([reviewed(grace), { type: 'ChangeRequestApproved', data: { approvals: ['token:grace'], requiredApprovals: 1 } }]);
  });

  it('refuses an unknown decision, a cancelled, applied or expired request, and an unknown request', () => {
    spec().given([opened()]).when(review(grace, 'maybe')).thenThrows({ code: 'validation_failed', problems: [{ field: 'decision' }] });
    spec().given([opened(), { type: 'ChangeRequestCancelled', data: { at: NOW } }]).when(review(grace)).thenThrows({ code: 'invalid_state' });
    spec().given([opened(), { type: 'ChangeRequestApplied', data: { approvals: [], requiredApprovals: 1, appliedAt: NOW, scheduled: false } }]).when(review(grace)).thenThrows({ code: 'invalid_state' });
    spec().given([opened()]).when(review(grace, 'approve', APPROVER, EXPIRES)).thenThrows({ code: 'invalid_state' });
    spec().given([]).when(review(grace)).thenThrows({ code: 'not_found' });
  });
});

describe('decideChangeRequest: ApplyChangeRequest', () => {
  const approved: ChangeRequestEvent[] = [opened(), reviewed(grace), { type: 'ChangeRequestApproved', data: { approvals: ['token:grace'], requiredApprovals: 1 } }];
  const appliedEvent = (scheduled = false, at = NOW): ChangeRequestEvent => ({ type: 'ChangeRequestApplied', data: { approvals: ['token:grace'], requiredApprovals: 1, appliedAt: at, scheduled } });

  it('applies an approved request whose base versions still hold', () => {
    const state = spec().given(approved).when(apply()).then([appliedEvent()]);
    expect(state).toMatchObject({ status: 'applied', appliedApprovals: ['token:grace'], closedAt: NOW });
  });

  it('re-checks the quorum under the policy in force now', () => {
    spec(context({ requiredApprovals: 2 })).given(approved).when(apply()).thenThrows({ code: 'approval_required', problems: [{ field: 'reviews' }] });
    spec().given([opened()]).when(apply()).thenThrows({ code: 'approval_required' });
  });

  it('refuses a request with a decline when declines block, even if it had the approvals', () => {
    spec(context({ declineBlocks: true })).given([...approved, reviewed(edsger, 'decline')]).when(apply()).thenThrows({ code: 'approval_required' });
  });

  it('counts the author at apply only when the policy allows self-approval', () => {
    spec(context({ allowSelfApproval: true })).given([opened(), reviewed(ACTOR)]).when(apply()).then([{ type: 'ChangeRequestApplied', data: { approvals: [ACTOR.id], requiredApprovals: 1, appliedAt: NOW, scheduled: false } }]);
    spec(context({ allowSelfApproval: false })).given([opened(), reviewed(ACTOR)]).when(apply()).thenThrows({ code: 'approval_required' });
  });

  it('marks the request stale when what it changes moved on', () => {
    const state = spec(context({ requiredApprovals: 1 }, { 'flag:checkout': 4 }))
      .given(approved)
      .when(apply())
      .then([{ type: 'ChangeRequestMarkedStale', data: { conflicts: [{ aggregateId: 'flag:checkout', baseVersion: 3, currentVersion: 4 }], at: NOW } }]);
    expect(state.status).toBe('stale');
  });

  it('marks an expired request expired instead of applying it', () => {
    spec().given(approved).when(apply(EDITOR, EXPIRES)).then([{ type: 'ChangeRequestExpired', data: { at: EXPIRES } }]);
  });

  it('applies a scheduled request only once its time has come, whoever asks', () => {
    const scheduled: ChangeRequestEvent[] = [opened({ applyAt: LATER }), ...approved.slice(1)];
    spec().given(scheduled).when(apply()).thenThrows({ code: 'invalid_state' });
    spec().given(scheduled).when(apply(ADMIN, NOW, true)).thenThrows({ code: 'invalid_state' });
    spec().given(scheduled).when(apply(ADMIN, LATER, true)).then([appliedEvent(true, LATER)]);
    spec().given(scheduled).when(apply(EDITOR, LATER)).then([appliedEvent(false, LATER)]);
  });

  it('applies exactly once: a second apply is refused', () => {
    spec().given([...approved, appliedEvent()]).when(apply()).thenThrows({ code: 'invalid_state' });
  });

  it('refuses closed requests, viewers and tokens out of scope', () => {
    spec().given([opened(), { type: 'ChangeRequestCancelled', data: { at: NOW } }]).when(apply()).thenThrows({ code: 'invalid_state' });
    spec().given(approved).when(apply({ role: 'viewer', environments: '*' })).thenThrows({ code: 'forbidden' });
    spec().given(approved).when(apply({ role: 'admin', environments: ['staging'] })).thenThrows({ code: 'forbidden' });
  });
});

describe('decideChangeRequest: CancelChangeRequest and ExpireChangeRequest', () => {
  const cancel = (actor: Actor, canceller: Authority = EDITOR) => command('CancelChangeRequest', { id: 'cr-1', canceller }, { actor });

  it('lets the author or an admin cancel a pending request, nobody else', () => {
    spec().given([opened()]).when(cancel(ACTOR)).then([{ type: 'ChangeRequestCancelled', data: { at: NOW } }]);
    spec().given([opened()]).when(cancel(grace, ADMIN)).then([{ type: 'ChangeRequestCancelled', data: { at: NOW } }]);
    spec().given([opened()]).when(cancel(grace, APPROVER)).thenThrows({ code: 'forbidden' });
    spec().given([opened(), { type: 'ChangeRequestCancelled', data: { at: NOW } }]).when(cancel(ACTOR)).thenThrows({ code: 'invalid_state' });
  });

  it('expires a pending request once its time has come, and leaves everything else alone', () => {
    const expire = (now: string) => command('ExpireChangeRequest', { id: 'cr-1' }, { now });
    spec().given([opened()]).when(expire(EXPIRES)).then([{ type: 'ChangeRequestExpired', data: { at: EXPIRES } }]);
    spec().given([opened()]).when(expire(NOW)).then([]);
    spec().given([opened(), { type: 'ChangeRequestCancelled', data: { at: NOW } }]).when(expire(EXPIRES)).then([]);
  });
});
