import { Client } from 'pg';
import type { Logger } from 'pino';

/**
 * Who may write: the instance holding a Postgres session-level advisory lock. The lock dies
 * with the session, so a crashed leader's lease ends with its connection and another instance
 * takes over on its next attempt. Fencing in Kafka still guards the log if two ever overlap.
 */
export class LeaderLease {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private leading = false;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly lockKey: string,
    private readonly logger: Logger,
    private readonly onChange: (leading: boolean) => Promise<void>,
    private readonly pollMs = 1000,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.lose();
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.client) await this.connect();
      if (!this.leading) {
        const { rows } = await this.client!.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [this.lockKey],
        );
        if (rows[0]?.locked) {
          this.leading = true;
          this.logger.info({ lock: this.lockKey }, 'acquired the writer lease');
          await this.onChange(true);
        }
      } else {
        await this.client!.query('SELECT 1');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'writer lease check failed');
      await this.lose();
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.attempt(), this.pollMs);
      this.timer.unref();
    }
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'flagpole-writer-lease' });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'writer lease connection lost');
      void this.lose();
    });
    await client.connect();
    this.client = client;
  }

  private async lose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    if (this.leading) {
      this.leading = false;
      this.logger.warn('writer lease lost');
      await this.onChange(false);
    }
  }
}
