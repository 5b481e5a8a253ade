/** Who acts: always taken from the authenticated token, never from a request body. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly tokenId?: string;
}

/**
 * What every command carries besides its payload. Time and ids come in here so deciders stay
 * pure and replayable.
 */
export interface CommandMetadata {
  readonly actor: Actor;
  /** ISO-8601 time the command was accepted. */
  readonly now: string;
  readonly correlationId: string;
  readonly reason?: string;
  readonly changeRequestId?: string;
  /** Optimistic concurrency: the aggregate version the caller based the change on. */
  readonly expectedVersion?: number;
}
