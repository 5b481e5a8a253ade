/**
 * `COPY … FROM STDIN` over a node-postgres client, as a custom query object (pg's documented
 * "Submittable" interface, the one pg-copy-streams builds on). The audit trail is the bulk of
 * every batch, and COPY's text format is about half the server work of unpacking the same rows
 * from a JSON parameter — the difference between meeting the rebuild target or not.
 */

/** The part of pg's Connection a copy needs. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** What a pg client (TypeORM's PostgresQueryRunner.databaseConnection) offers for custom queries. */
export interface PgClient {
  query(query: CopyFromStdin): unknown;
}

export class CopyFromStdin {
  callback?: (error: Error | null, rowCount: number) => void;
  private error?: Error;
  private rowCount = 0;

  constructor(
    private readonly text: string,
    private readonly chunks: readonly Buffer[],
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = Number(message.text.split(' ')[1] ?? 0);
  }

  handleError(error: Error): void {
    this.error = error;
  }

  /** Postgres ends every simple query, failed or not, with ReadyForQuery. */
  handleReadyForQuery(): void {
    this.callback?.(this.error ?? null, this.rowCount);
  }

  // Not sent for COPY FROM; part of the interface pg calls into.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

export function copyFromStdin(client: PgClient, text: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const copy = new CopyFromStdin(text, chunks);
    copy.callback = (error, rowCount) => (error ? reject(error) : resolve(rowCount));
    client.query(copy);
  });
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One field in COPY's text format: NULL as \N, backslash and line/field separators escaped. */
export function copyField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : value;
}
