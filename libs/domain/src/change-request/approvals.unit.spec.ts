import { decide, decideAll, type Decision } from '../decide';
import type { EventEnvelope } from '../events/event-envelope.types';
import { stampEvents } from '../events/stamp-events';
import type { FlagpoleCommand } from '../commands';
import { ApprovalRequiredError } from '../shared/domain-error';
import { FlagpoleState } from '../state/flagpole-state';
import { command, execute, expectRefusal, NOW } from '../testing/decider-spec';
import type { Authority } from './change-request.types';

/** The writer's path for commands spanning aggregates: every decision stamped in order, or none. */
function executeAll(state: FlagpoleState, cmd: FlagpoleCommand): EventEnvelope[] {
  const decisions: readonly Decision[] = decideAll(cmd, state);
  const envelopes: EventEnvelope[] = [];
  for (const decision of decisions) {
    let next = state.lastSequence;
    for (const envelope of stampEvents(decision, decision.meta ?? cmd.meta, state, () => `evt-${++next}`)) {
      state.apply(envelope);
      envelopes.push(envelope);
    }
  }
  return envelopes;
}

const ADMIN: Authority = { role: 'admin', environments: '*' };
const APPROVER: Authority = { role: 'approver', environments: ['production'] };
const grace = { id: 'token:grace', name: 'Grace Hopper' };
const alan = { id: 'token:alan', name: 'Alan Turing' };

function seeded(policy: unknown = { requiredApprovals: 1, rules: { toggles: true } }): FlagpoleState {
  const state = FlagpoleState.empty();
  execute(state, command('CreateEnvironment', { key: 'production', name: 'Production', production: true }));
  execute(state, command('CreateEnvironment', { key: 'staging', name: 'Staging' }));
  execute(state, command('CreateFlag', { key: 'checkout', name: 'Checkout' }));
  execute(state, command('SetApprovalPolicy', { environment: 'production', policy }));
  return state;
}

const toggle = (environment: string, on = true) => command('ToggleFlag', { key: 'checkout', environment, on });
const openRequest = (changes: unknown = [{ type: 'ToggleFlag', data: { key: 'checkout', environment: 'production', on: true } }]) =>
  command('OpenChangeRequest', { id: 'cr-1', title: 'Launch checkout', changes, author: ADMIN });

describe('approvals through decide()', () => {
  it('refuses a direct high-risk change with every reason and the change as a request would propose it', () => {
    const state = seeded();
    const error = expectRefusal(() => decide(toggle('production'), state), { code: 'approval_required', problems: [{ field: 'rules.toggles' }] });
    expect(error).toBeInstanceOf(ApprovalRequiredError);
    expect((error as ApprovalRequiredError).proposedChange).toEqual({ type: 'ToggleFlag', data: { key: 'checkout', environment: 'production', on: true }, baseVersion: 1 });
  });

  it('lets low-risk changes through: another environment, or a change that changes nothing', () => {
    const state = seeded();
    expect(decide(toggle('staging'), state).events).toHaveLength(1);
    expect(decide(toggle('production', false), state).events).toEqual([]);
  });

  it('reports invalid input before approval: a bad change is a 400, not a request to approve it', () => {
    expectRefusal(() => decide(command('ToggleFlag', { key: 'nope', environment: 'production', on: true }), seeded()), { code: 'not_found' });
  });

  it('holds back a change to a policy that requires approval, but not the first policy', () => {
    const state = seeded();
    expectRefusal(() => decide(command('SetApprovalPolicy', { environment: 'production', policy: {} }), state), { code: 'approval_required', problems: [{ field: 'rules.policy' }] });
    expect(decide(command('SetApprovalPolicy', { environment: 'staging', policy: { rules: { anyChange: true } } }), state).events).toHaveLength(1);
  });

  it('governs a flag-wide change by the policy of every environment', () => {
    const state = seeded({ rules: { archive: true } });
    const error = expectRefusal(() => decide(command('ArchiveFlag', { key: 'checkout' }), state), { code: 'approval_required' });
    expect(error.problems).toEqual([{ rule: 'archive', environment: 'production', field: 'rules.archive', problem: 'archives flag "checkout"' }]);
  });
});

describe('change requests through decideAll()', () => {
  it('opens with the base version, the environments reached and the risk the policy sees', () => {
    const state = seeded();
    const [openedEvent] = executeAll(state, openRequest());
    expect(openedEvent).toMatchObject({
      type: 'ChangeRequestOpened',
      aggregateId: 'change-request:cr-1',
      data: { environments: ['production'], changes: [{ aggregateId: 'flag:checkout', baseVersion: 1 }], risk: [{ rule: 'toggle' }] },
    });
  });

  it('refuses to open a request whose change would be refused, naming the change', () => {
    expectRefusal(() => decideAll(openRequest([{ type: 'ToggleFlag', data: { key: 'nope', environment: 'production', on: true } }]), seeded()), {
      code: 'not_found',
      problems: [{ field: 'changes[0]' }],
    });
    expectRefusal(() => decideAll(openRequest([{ type: 'ToggleFlag', data: { key: 'checkout', environment: 'production', on: false } }]), seeded()), {
      code: 'validation_failed',
      problems: [{ field: 'changes[0]', problem: 'changes nothing: the proposed state is already the current one' }],
    });
    expectRefusal(() => decideAll(openRequest([{ type: 'CreateFlag', data: { key: 'x', name: 'x' } }]), seeded()), { code: 'validation_failed', problems: [{ field: 'changes[0].type' }] });
    expectRefusal(() => decideAll(openRequest([{ type: 'ToggleFlag', data: { key: 'checkout', environment: 'production', on: true }, baseVersion: 0 }]), seeded()), {
      code: 'version_conflict',
      problems: [{ field: 'changes[0].baseVersion' }],
    });
  });

  it('tries later changes on the state the earlier ones leave: a rule using a segment created first', () => {
    const state = seeded();
    const events = executeAll(
      state,
      openRequest([
        { type: 'CreateSegment', data: { environment: 'production', key: 'beta', name: 'Beta', rules: { included: ['u1'] } } },
        {
          type: 'ConfigureFlagEnvironment',
          data: {
            key: 'checkout',
            environment: 'production',
            config: { on: true, offVariant: 'off', rules: [{ id: 'beta', condition: { attribute: 'key', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }], fallthrough: { variant: 'off' } },
          },
        },
      ]),
    );
    expect(events.map((e) => e.type)).toEqual(['ChangeRequestOpened']);
    expect(state.segment('segment:production/beta').status).toBe('absent');
  });

  it('applies the changes after the request is applied, in one list of decisions, each carrying the request id', () => {
    const state = seeded();
    executeAll(state, openRequest());
    executeAll(state, command('ReviewChangeRequest', { id: 'cr-1', decision: 'approve', reviewer: APPROVER }, { actor: grace }));
    const events = executeAll(state, command('ApplyChangeRequest', { id: 'cr-1', applier: ADMIN }, { actor: alan, now: NOW }));
    expect(events.map((e) => [e.type, e.aggregateId, e.changeRequestId, e.actor.id, e.reason])).toEqual([
      ['ChangeRequestApplied', 'change-request:cr-1', null, 'token:alan', null],
      ['FlagToggled', 'flag:checkout', 'cr-1', 'token:alan', 'Launch checkout'],
    ]);
    expect(state.flag('flag:checkout')).toMatchObject({ version: 2, environments: { production: { on: true } } });
    expect(state.changeRequest('change-request:cr-1').status).toBe('applied');
  });

  it('applies nothing when one change is refused now, and refuses with the change named', () => {
    const state = seeded();
    execute(state, command('CreateSegment', { environment: 'production', key: 'beta', name: 'Beta', rules: { included: ['u1'] } }));
    const config = { on: true, offVariant: 'off', rules: [{ id: 'beta', condition: { attribute: 'key', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }], fallthrough: { variant: 'off' } };
    executeAll(state, openRequest([{ type: 'ConfigureFlagEnvironment', data: { key: 'checkout', environment: 'production', config } }]));
    executeAll(state, command('ReviewChangeRequest', { id: 'cr-1', decision: 'approve', reviewer: APPROVER }, { actor: grace }));
    // The flag did not move, but the segment its new rule needs is gone: the change is refused now.
    execute(state, command('DeleteSegment', { environment: 'production', key: 'beta' }));
    const before = state.lastSequence;
    expectRefusal(() => executeAll(state, command('ApplyChangeRequest', { id: 'cr-1', applier: ADMIN })), {
      code: 'validation_failed',
      problems: [{ field: 'changes[0].config.rules[0].condition.values[0]' }],
    });
    expect(state.lastSequence).toBe(before);
    expect(state.changeRequest('change-request:cr-1').status).toBe('approved');
  });

  it('marks a request stale, deciding no flag change, when the flag moved on', () => {
    const state = seeded();
    executeAll(state, openRequest());
    executeAll(state, command('ReviewChangeRequest', { id: 'cr-1', decision: 'approve', reviewer: APPROVER }, { actor: grace }));
    execute(state, command('UpdateFlagMetadata', { key: 'checkout', owner: 'someone' }));
    const decisions = decideAll(command('ApplyChangeRequest', { id: 'cr-1', applier: ADMIN }), state);
    expect(decisions.map((d) => d.events.map((e) => e.type))).toEqual([['ChangeRequestMarkedStale']]);
  });
});
