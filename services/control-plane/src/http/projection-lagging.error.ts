/**
 * A query asked to read its own write (a consistency token) and the projector had not applied
 * it within the wait: answered 503 `projection_lagging` with `Retry-After`.
 */
export class ProjectionLaggingError extends Error {
  readonly retryAfterSeconds = 1;

  constructor(
    readonly sequence: number,
    readonly appliedSequence: number,
    reason = 'the read model has not caught up yet',
  ) {
    super(`${reason}: waiting for event ${sequence}, the projector has applied up to ${appliedSequence}; retry shortly`);
    this.name = 'ProjectionLaggingError';
  }
}
