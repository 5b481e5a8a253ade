import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { hashTokenSecret, newTokenSecret } from '../../auth/token-secret';
import { WriterRuntime } from '../../infrastructure/writer.runtime';
import { IssueTokenCommand, type IssuedToken } from './issue-token.command';

/** Ids and secrets are made here, outside the domain, and come into the decider with the command. */
@CommandHandler(IssueTokenCommand)
export class IssueTokenHandler implements ICommandHandler<IssueTokenCommand, IssuedToken> {
  constructor(private readonly runtime: WriterRuntime) {}

  async execute({ data, meta, presetSecret }: IssueTokenCommand): Promise<IssuedToken> {
    const tokenId = `tok_${randomUUID()}`;
    const secret = presetSecret ?? newTokenSecret();
    const result = await this.runtime.execute({
      type: 'IssueToken',
      data: { tokenId, secretHash: hashTokenSecret(secret), ...data },
      meta,
    });
    return { result, tokenId, secret };
  }
}
