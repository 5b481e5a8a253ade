/** Why the writer could not take a command; the HTTP layer turns these into 503s. */
export type WriterUnavailableReason = 'starting' | 'not_leader' | 'kafka_unavailable' | 'fenced' | 'stopped';

export class WriterUnavailableError extends Error {
  constructor(
    readonly reason: WriterUnavailableReason,
    message: string,
    /** Seconds a client should wait before retrying. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'WriterUnavailableError';
  }
}

/** kafkajs marks a producer whose transactional id was taken over by a newer instance. */
export function isFencingError(error: unknown): boolean {
  const type = (error as { type?: unknown } | undefined)?.type;
  const name = (error as { name?: unknown } | undefined)?.name;
  return type === 'PRODUCER_FENCED' || type === 'INVALID_PRODUCER_EPOCH' || name === 'KafkaJSProducerFencedError';
}
