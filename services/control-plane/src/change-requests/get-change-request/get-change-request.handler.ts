import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { aggregateIds, countedApprovals, DomainError, effectivePolicy, policyOf, previewApplication, scopeIncludes, type ChangeOutcome, type ExistingChangeRequest } from '@flagpole/domain';
import { diffAggregate, type AggregateState, type DiffEntry } from '@flagpole/read-model';
import { AuthError } from '../../auth/auth.errors';
import { WriterRuntime } from '../../infrastructure/writer.runtime';
import { GetChangeRequestQuery } from './get-change-request.query';

export type ChangeRequestDetail = Omit<ExistingChangeRequest, 'changes'> & {
  readonly changes: readonly (Omit<ChangeOutcome, 'before' | 'after'> & { readonly data: unknown; readonly diff: readonly DiffEntry[] })[];
  /** Under the policies in force now: what applying needs and has. */
  readonly approval: { readonly requiredApprovals: number; readonly approvals: readonly string[]; readonly declineBlocks: boolean; readonly allowSelfApproval: boolean };
};

/**
 * Answered from the state every instance folds from the log, not the read model: the diff and
 * the risk must be those the writer would see if the request were applied now.
 */
@QueryHandler(GetChangeRequestQuery)
export class GetChangeRequestHandler implements IQueryHandler<GetChangeRequestQuery> {
  constructor(private readonly runtime: WriterRuntime) {}

  execute({ id, scope }: GetChangeRequestQuery): Promise<ChangeRequestDetail> {
    const state = this.runtime.state;
    const request = state.changeRequest(aggregateIds.changeRequest(id));
    if (request.status === 'absent') throw DomainError.notFound(`change request "${id}"`);
    if (!request.environments.some((env) => scopeIncludes(scope, env))) throw new AuthError('forbidden', 'the token is not scoped to any environment this change request reaches');
    const policy = effectivePolicy(request.environments.flatMap((env) => policyOf(state.approvalPolicy(aggregateIds.approvalPolicy(env))) ?? []));
    const changes = previewApplication(request, state).map(({ before, after, ...outcome }) => ({
      ...outcome,
      data: request.changes[outcome.index]!.data,
      diff: diffAggregate(outcome.aggregateType, before as AggregateState, after as AggregateState),
    }));
    const approval = { ...policy, approvals: countedApprovals(request, policy.allowSelfApproval) };
    return Promise.resolve({ ...request, changes, approval });
  }
}
