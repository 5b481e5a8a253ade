import { decideAll, FlagpoleState, stampEvents, type CommandMetadata, type EventEnvelope, type FlagpoleCommand } from '@flagpole/domain';
import type { AggregateRecord } from './aggregate-record';
import { projectEvent } from './project-event';
import { recordsFromRows } from './states-from-views';
import { approvalPolicyView, changeRequestView, environmentView, flagEnvironmentView, flagView, positionOf, segmentView, tokenView } from './views';

const ADMIN = { role: 'admin', environments: '*' } as const;

/** A small approval history decided by the domain itself, as the writer would log it. */
function approvalHistory(): { events: EventEnvelope[]; writer: FlagpoleState } {
  const writer = FlagpoleState.empty();
  const events: EventEnvelope[] = [];
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  let ids = 0;
  const run = (command: Omit<FlagpoleCommand, 'meta'>, actor = 'token:ada') => {
    clock += 60_000;
    const meta: CommandMetadata = { actor: { id: actor, name: actor }, now: new Date(clock).toISOString(), correlationId: `c${clock}` };
    const full = { ...command, meta } as FlagpoleCommand;
    for (const decision of decideAll(full, writer)) {
      for (const event of stampEvents(decision, decision.meta ?? meta, writer, () => `evt-${++ids}`)) {
        writer.apply(event);
        events.push(event);
      }
    }
  };
  run({ type: 'CreateEnvironment', data: { key: 'production', name: 'Production', production: true } });
  run({ type: 'CreateFlag', data: { key: 'checkout', name: 'Checkout' } });
  run({ type: 'SetApprovalPolicy', data: { environment: 'production', policy: { requiredApprovals: 2, rules: { toggles: true } } } });
  const toggle = { type: 'ToggleFlag', data: { key: 'checkout', environment: 'production', on: true } };
  run({ type: 'OpenChangeRequest', data: { id: 'cr-1', title: 'Launch', changes: [toggle], applyAt: '2025-01-01T00:07:30.000Z', author: ADMIN } });
  run({ type: 'ReviewChangeRequest', data: { id: 'cr-1', decision: 'approve', comment: 'ok', reviewer: ADMIN } }, 'token:grace');
  run({ type: 'ReviewChangeRequest', data: { id: 'cr-1', decision: 'approve', reviewer: ADMIN } }, 'token:alan');
  run({ type: 'OpenChangeRequest', data: { id: 'cr-2', title: 'Also launch', changes: [toggle], author: ADMIN } });
  run({ type: 'ApplyChangeRequest', data: { id: 'cr-1', applier: ADMIN, scheduled: true } }, 'system:scheduler');
  run({ type: 'ReviewChangeRequest', data: { id: 'cr-2', decision: 'decline', reviewer: ADMIN } }, 'token:grace');
  return { events, writer };
}

describe('projection of approval policies and change requests', () => {
  const { events, writer } = approvalHistory();
  const records = new Map<string, AggregateRecord>();
  for (const event of events) {
    const projected = projectEvent(records.get(event.aggregateId), event);
    records.set(event.aggregateId, projected.record);
  }

  it('folds to exactly the state the writer holds', () => {
    expect(events.map((e) => e.type)).toContain('ChangeRequestApplied');
    for (const [id, record] of records) expect(record.state).toEqual(writer.stateOf(record.aggregateType, id));
  });

  it('rows with the filter columns: status, environments, flags, author, reviewers', () => {
    expect(changeRequestView(records.get('change-request:cr-1')!)).toMatchObject({
      id: 'cr-1',
      status: 'applied',
      authorId: 'token:ada',
      environments: ['production'],
      flagKeys: ['checkout'],
      reviewerIds: ['token:grace', 'token:alan'],
      applyAt: '2025-01-01T00:07:30.000Z',
    });
    expect(changeRequestView(records.get('change-request:cr-2')!)).toMatchObject({ status: 'open', reviewerIds: ['token:grace'] });
    expect(approvalPolicyView(records.get('approval-policy:production')!)).toMatchObject({ environment: 'production', policy: { requiredApprovals: 2 } });
  });

  it('rows → states give back every aggregate exactly', () => {
    const all = [...records.values()];
    const defined = <T>(xs: (T | undefined)[]) => xs.filter((x): x is T => x !== undefined);
    const restored = recordsFromRows({
      positions: all.map(positionOf),
      environments: defined(all.map(environmentView)),
      flags: defined(all.map(flagView)),
      flagEnvironments: defined(all.flatMap((r) => (r.aggregateType === 'flag' && r.state.status !== 'absent' ? Object.keys(r.state.environments).map((env) => flagEnvironmentView(r, env)) : []))),
      segments: defined(all.map(segmentView)),
      tokens: defined(all.map(tokenView)),
      approvalPolicies: defined(all.map(approvalPolicyView)),
      changeRequests: defined(all.map(changeRequestView)),
    });
    for (const [id, record] of records) expect(restored.get(id)).toEqual(record);
  });
});
