/**
 * What the caller knows about the subject of an evaluation. Attributes are addressed by dotted
 * paths (`user.address.country`) that walk nested plain objects; see SPEC.md "Attributes".
 */
export interface EvaluationContext {
  /** The default attribute for targets, segment lists and bucketing. */
  readonly targetingKey?: string;
  readonly [attribute: string]: unknown;
}

/** Inputs an evaluation needs from the outside world: evaluation never reads the clock itself. */
export interface EvaluateOptions {
  /**
   * Current time in epoch milliseconds. Used by `before`/`after` clauses on the `currentTime`
   * attribute when the context does not carry one.
   */
  readonly now?: number;
}
