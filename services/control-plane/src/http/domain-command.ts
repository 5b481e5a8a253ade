import { Injectable } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import type { CommandMetadata, FlagpoleCommand } from '@flagpole/domain';
import { WriterRuntime } from '../infrastructure/writer.runtime';
import { MetricsService } from '../metrics/metrics.service';
import type { CommandResult } from '../writer/event-writer';

type CommandType = FlagpoleCommand['type'];
export type CommandData<T extends CommandType> = Extract<FlagpoleCommand, { type: T }>['data'];

/** A use case's CQRS command: the domain command's payload plus who/when/why. */
export abstract class DomainCommand<T extends CommandType> extends Command<CommandResult> {
  abstract readonly type: T;

  constructor(
    readonly data: CommandData<T>,
    readonly meta: CommandMetadata,
  ) {
    super();
  }

  toDomain(): FlagpoleCommand {
    return { type: this.type, data: this.data, meta: this.meta } as FlagpoleCommand;
  }
}

/**
 * Handlers of plain write use cases are this: hand the command to the writer and count the
 * outcome. Deciding lives in libs/domain; durability in the writer.
 */
@Injectable()
export abstract class DomainCommandHandler<C extends DomainCommand<CommandType>> {
  constructor(
    private readonly runtime: WriterRuntime,
    private readonly metrics: MetricsService,
  ) {}

  async execute(command: C): Promise<CommandResult> {
    try {
      const result = await this.runtime.execute(command.toDomain());
      this.metrics.commands.inc({ type: command.type, outcome: result.events.length > 0 ? 'written' : 'unchanged' });
      return result;
    } catch (error) {
      this.metrics.commands.inc({ type: command.type, outcome: 'refused' });
      throw error;
    }
  }
}
