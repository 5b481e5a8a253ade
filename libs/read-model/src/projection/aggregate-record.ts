import type { AggregateType, ApprovalPolicyState, ChangeRequestState, EnvironmentState, FlagState, SegmentState, TokenState } from '@flagpole/domain';

export type AggregateState = EnvironmentState | FlagState | SegmentState | TokenState | ApprovalPolicyState | ChangeRequestState;

interface RecordOf<T extends AggregateType, S extends AggregateState> {
  readonly aggregateType: T;
  readonly aggregateId: string;
  /** Version of the last event applied: the next event must carry version + 1. */
  readonly version: number;
  /** Global sequence of that event. */
  readonly lastSequence: number;
  /** ISO-8601 time of the aggregate's first event. */
  readonly createdAt: string;
  /** ISO-8601 time of its last event. */
  readonly updatedAt: string;
  /** The aggregate folded with the domain's own evolve functions, exactly as the writer holds it. */
  readonly state: S;
}

/**
 * What the projection knows about one aggregate. The position (`version`, `lastSequence`) comes
 * from the events themselves rather than from `state.version`: evolve functions may leave a state
 * unchanged (revoking a token that never existed), but the log still moved on.
 */
export type AggregateRecord =
  | RecordOf<'environment', EnvironmentState>
  | RecordOf<'flag', FlagState>
  | RecordOf<'segment', SegmentState>
  | RecordOf<'token', TokenState>
  | RecordOf<'approvalPolicy', ApprovalPolicyState>
  | RecordOf<'changeRequest', ChangeRequestState>;
