import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { hashTokenSecret } from '../auth/token-secret';
import { WriterRuntime } from '../infrastructure/writer.runtime';
import { IssueTokenCommand } from './issue-token/issue-token.command';

/**
 * With FLAGPOLE_BOOTSTRAP_TOKEN set, makes sure an admin token with that secret exists once the
 * writer is ready, so a fresh install has a first credential. Issuing it is an audited event
 * like any other, by the `system:bootstrap` actor.
 */
@Injectable()
export class BootstrapTokenService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runtime: WriterRuntime,
    private readonly commandBus: CommandBus,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    const secret = this.config.bootstrapToken;
    if (!secret) return;
    this.runtime.whenWriterReady(() => void this.ensure(secret));
  }

  private async ensure(secret: string): Promise<void> {
    const hash = hashTokenSecret(secret);
    for (const token of this.runtime.state.tokens()) {
      if (token.status !== 'absent' && token.secretHash === hash) return;
    }
    const meta = {
      actor: { id: 'system:bootstrap', name: 'bootstrap' },
      now: new Date().toISOString(),
      correlationId: randomUUID(),
      reason: 'bootstrap admin token from FLAGPOLE_BOOTSTRAP_TOKEN',
    };
    try {
      await this.commandBus.execute(new IssueTokenCommand({ name: 'bootstrap-admin', role: 'admin', environments: '*' }, meta, secret));
      this.logger.info('issued the bootstrap admin token');
    } catch (error) {
      this.logger.error({ err: error }, 'could not issue the bootstrap admin token');
    }
  }
}
