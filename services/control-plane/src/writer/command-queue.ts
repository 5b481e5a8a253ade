/** A command waiting for the writer, with the promise its HTTP request awaits. */
export interface Pending<C, R> {
  readonly command: C;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Collects commands while a transaction is in flight so the next transaction carries them all
 * (group commit): one Kafka round trip per batch instead of per command.
 */
export class CommandQueue<C, R> {
  private items: Pending<C, R>[] = [];
  private draining = false;

  constructor(
    private readonly process: (batch: Pending<C, R>[]) => Promise<void>,
    private readonly maxBatch: number,
  ) {}

  submit(command: C): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.items.push({ command, resolve, reject });
      void this.drain();
    });
  }

  /** Fails every waiting command, e.g. when the writer loses the lead. */
  failAll(error: unknown): void {
    const items = this.items;
    this.items = [];
    for (const item of items) item.reject(error);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.items.length > 0) {
        const batch = this.items.splice(0, this.maxBatch);
        try {
          await this.process(batch);
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
