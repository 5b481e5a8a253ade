import { CommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { DomainCommandHandler } from '../../http/domain-command';
import type { CommandResult } from '../../writer/event-writer';
import { ApplyChangeRequestCommand } from './apply-change-request.command';

/**
 * A request that turned out stale or expired is marked so in the log (it must be re-opened),
 * and the caller still gets a 409: nothing it asked for was applied.
 */
@CommandHandler(ApplyChangeRequestCommand)
export class ApplyChangeRequestHandler extends DomainCommandHandler<ApplyChangeRequestCommand> {
  override async execute(command: ApplyChangeRequestCommand): Promise<CommandResult> {
    const result = await super.execute(command);
    const outcome = result.events[0];
    if (outcome?.type === 'ChangeRequestMarkedStale') {
      const problems = outcome.data.conflicts.map((c) => ({ field: c.aggregateId, problem: `based on version ${c.baseVersion}, now at ${c.currentVersion}` }));
      throw new DomainError('version_conflict', 'what the change request changes has moved on; it is now stale and must be re-opened', problems);
    }
    if (outcome?.type === 'ChangeRequestExpired') throw new DomainError('invalid_state', 'the change request has expired and cannot be applied');
    return result;
  }
}
