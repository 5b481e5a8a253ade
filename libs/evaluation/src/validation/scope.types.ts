/** What validating a condition or serve needs to know about its surroundings. */
export interface ValidationScope {
  /** Variant names of the flag (undefined inside segments, which serve nothing). */
  readonly variants: ReadonlySet<string> | undefined;
  /** When given, segment references must satisfy it. */
  readonly segmentExists: ((key: string) => boolean) | undefined;
  /** Inside a segment condition: segment clauses are refused there. */
  readonly inSegment: boolean;
  /** Condition nodes seen so far, shared across one environment or segment. */
  readonly budget: { nodes: number; reported: boolean };
}
