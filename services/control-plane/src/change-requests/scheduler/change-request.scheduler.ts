import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, isPending, type ExistingChangeRequest, type FlagpoleCommand } from '@flagpole/domain';
import { PinoLogger } from 'nestjs-pino';
import { WriterRuntime } from '../../infrastructure/writer.runtime';

const TICK_MS = 500;
/** A request the writer refused (e.g. the policy now wants more approvals) is retried this much later. */
const RETRY_REFUSED_MS = 60_000;
const SCHEDULER = { id: 'system:scheduler', name: 'Change request scheduler' } as const;

/**
 * Applies approved requests when their `applyAt` comes, and expires pending ones past
 * `expiresAt`. Only the instance whose writer is ready (the lease holder) acts. Exactly once
 * needs nothing else: the writer decides every apply against the request's state in the log,
 * and an applied request refuses a second apply — the one that loses a race (a restart, a second
 * instance briefly believing it leads) is refused or fenced, never written twice.
 */
@Injectable()
export class ChangeRequestScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;
  private readonly refusedUntil = new Map<string, number>();

  constructor(
    private readonly runtime: WriterRuntime,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One pass over the requests; exposed so tests can drive it. */
  async tick(now = new Date()): Promise<void> {
    if (this.running || this.runtime.status.writer !== 'ready') return;
    this.running = true;
    try {
      for (const request of this.due(now)) {
        if (this.stopped) return;
        await this.act(request, now);
      }
    } finally {
      this.running = false;
    }
  }

  private due(now: Date): ExistingChangeRequest[] {
    const iso = now.toISOString();
    const due: ExistingChangeRequest[] = [];
    for (const request of this.runtime.state.changeRequests()) {
      if (request.status === 'absent' || !isPending(request)) continue;
      if ((this.refusedUntil.get(request.id) ?? 0) > now.getTime()) continue;
      const expired = request.expiresAt <= iso;
      const scheduled = request.status === 'approved' && request.applyAt !== null && request.applyAt <= iso;
      if (expired || scheduled) due.push(request);
    }
    return due;
  }

  private async act(request: ExistingChangeRequest, now: Date): Promise<void> {
    const meta = { actor: SCHEDULER, now: now.toISOString(), correlationId: randomUUID() };
    const command: FlagpoleCommand =
      request.expiresAt <= meta.now
        ? { type: 'ExpireChangeRequest', data: { id: request.id }, meta }
        : { type: 'ApplyChangeRequest', data: { id: request.id, applier: { role: 'admin', environments: '*' }, scheduled: true }, meta: { ...meta, reason: `scheduled for ${request.applyAt}` } };
    try {
      const result = await this.runtime.execute(command);
      this.logger.info({ changeRequest: request.id, command: command.type, outcome: result.events[0]?.type, sequence: result.sequence }, 'scheduled change request handled');
    } catch (error) {
      if (!(error instanceof DomainError)) {
        // The writer is unavailable (lost the lease, Kafka down): the next tick tries again.
        this.logger.warn({ err: error, changeRequest: request.id }, 'scheduled change request not handled yet');
        return;
      }
      this.refusedUntil.set(request.id, now.getTime() + RETRY_REFUSED_MS);
      this.logger.warn({ changeRequest: request.id, code: error.code, reason: error.message }, 'scheduled change request refused');
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick()
        .catch((error: unknown) => this.logger.error({ err: error }, 'change request scheduler failed'))
        .finally(() => this.schedule());
    }, TICK_MS);
    this.timer.unref();
  }
}
