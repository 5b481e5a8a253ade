import { Command } from '@nestjs/cqrs';
import type { CommandMetadata } from '@flagpole/domain';
import type { CommandResult } from '../../writer/event-writer';

export interface IssuedToken {
  readonly result: CommandResult;
  readonly tokenId: string;
  /** Shown once; only its SHA-256 is kept. */
  readonly secret: string;
}

export class IssueTokenCommand extends Command<IssuedToken> {
  constructor(
    readonly data: { readonly name: string; readonly role: unknown; readonly environments: unknown; readonly expiresAt?: string | null },
    readonly meta: CommandMetadata,
    /** Lets the local quick start pin a known secret; the API never sets it. */
    readonly presetSecret?: string,
  ) {
    super();
  }
}
