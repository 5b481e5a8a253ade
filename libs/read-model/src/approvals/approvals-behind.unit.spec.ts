import type { EventEnvelope } from '@flagpole/domain';
import { foldApprovalBehind } from './approvals-behind';

const author = { id: 'token:author', name: 'author' };
const grace = { id: 'token:grace', name: 'grace' };
const alan = { id: 'token:alan', name: 'alan' };

let sequence = 0;
function event(type: string, data: Record<string, unknown>): EventEnvelope {
  sequence += 1;
  return { type, data, sequence, aggregateType: 'changeRequest', aggregateId: 'change-request:cr-1', version: sequence } as unknown as EventEnvelope;
}

const opened = () => event('ChangeRequestOpened', { id: 'cr-1', title: 'launch checkout', author, environments: ['production'], changes: [], risk: [], openedAt: 't0', applyAt: null, expiresAt: 't9' });
const reviewed = (reviewer: typeof grace, decision: 'approve' | 'decline', comment = '') => event('ChangeRequestReviewed', { reviewer, decision, comment, at: `at-${reviewer.name}`, counted: true });
const applied = (approvals: string[]) => event('ChangeRequestApplied', { approvals, requiredApprovals: 2, appliedAt: 't5', scheduled: false });

describe('foldApprovalBehind', () => {
  it('names the request and the approvers it was applied with, with their comments', () => {
    const events = [opened(), reviewed(grace, 'approve', 'looks good'), reviewed(alan, 'approve'), applied([grace.id, alan.id])];
    expect(foldApprovalBehind(events)).toEqual({
      changeRequestId: 'cr-1',
      title: 'launch checkout',
      author,
      requiredApprovals: 2,
      approvedBy: [
        { reviewer: grace, at: 'at-grace', comment: 'looks good' },
        { reviewer: alan, at: 'at-alan', comment: '' },
      ],
      appliedSequence: events[3]!.sequence,
    });
  });

  it('leaves out approvals the apply did not count (an author approving their own request)', () => {
    const behind = foldApprovalBehind([opened(), reviewed(author, 'approve'), reviewed(grace, 'approve'), applied([grace.id])]);
    expect(behind?.approvedBy.map((a) => a.reviewer.id)).toEqual([grace.id]);
  });

  it('has nothing behind a request that was never applied', () => {
    expect(foldApprovalBehind([opened(), reviewed(grace, 'approve'), reviewed(alan, 'decline')])).toBeUndefined();
    expect(foldApprovalBehind([])).toBeUndefined();
  });
});
