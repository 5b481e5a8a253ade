import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { readProjectionHead } from '@flagpole/read-model';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ProjectionLaggingError } from '../../http/projection-lagging.error';
import { ReadModelService } from './read-model.service';

/** How often waiting queries look at the projection head: a round trip of a few ms, amortised over every waiter. */
const POLL_INTERVAL_MS = 10;
const DEFAULT_TIMEOUT_MS = 5000;

interface Waiter {
  readonly sequence: number;
  readonly deadline: number;
  readonly resolve: (head: number) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Read-your-writes (docs/decisions.md 2): a query carrying a consistency token waits until the
 * projector has applied that sequence. One poll loop of `projection_head.last_sequence` serves
 * every waiting request and runs only while someone waits; the head only moves forward (a
 * rebuild swaps in a schema only once it has reached the live head), so a head seen once
 * answers later requests without a query.
 */
@Injectable()
export class ProjectionWaiter implements OnApplicationShutdown {
  private known = 0;
  private readonly waiters = new Set<Waiter>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly timeoutMs: number;

  constructor(
    private readonly readModel: ReadModelService,
    private readonly logger: PinoLogger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.timeoutMs = config.consistencyTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Resolves with the applied sequence once it reaches `sequence`; rejects with ProjectionLaggingError after the timeout. */
  async waitFor(sequence: number, timeoutMs: number = this.timeoutMs): Promise<number> {
    if (sequence <= this.known) return this.known;
    await this.poll();
    if (sequence <= this.known) return this.known;
    return new Promise<number>((resolve, reject) => {
      this.waiters.add({ sequence, deadline: Date.now() + timeoutMs, resolve, reject });
      this.schedule();
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters) waiter.reject(new ProjectionLaggingError(waiter.sequence, this.known, 'the control plane is shutting down'));
    this.waiters.clear();
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.waiters.size === 0) return;
    this.timer = setTimeout(() => void this.tick(), POLL_INTERVAL_MS);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    await this.poll();
    const now = Date.now();
    for (const waiter of this.waiters) {
      if (waiter.sequence <= this.known) waiter.resolve(this.known);
      else if (now >= waiter.deadline) waiter.reject(new ProjectionLaggingError(waiter.sequence, this.known));
      else continue;
      this.waiters.delete(waiter);
    }
    this.schedule();
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      const head = await readProjectionHead(this.readModel.manager);
      if (head.lastSequence > this.known) this.known = head.lastSequence;
    } catch (error) {
      // Waiters time out with 503 on their own; one line per failed poll would flood the log.
      this.logger.debug({ err: error }, 'could not read the projection head');
    }
  }
}
