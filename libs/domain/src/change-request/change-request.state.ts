import type { ChangeRequestOpened } from './change-request.events';
import type { Review, StaleConflict } from './change-request.types';

/** open → approved → applied; open/approved → declined | stale | cancelled | expired. */
export type ChangeRequestStatus = 'open' | 'approved' | 'applied' | 'declined' | 'stale' | 'cancelled' | 'expired';

export type ExistingChangeRequest = ChangeRequestOpened['data'] & {
  readonly status: ChangeRequestStatus;
  readonly version: number;
  readonly reviews: readonly Review[];
  /** Counted approvals when applied. */
  readonly appliedApprovals: readonly string[];
  readonly closedAt: string | null;
  readonly conflicts: readonly StaleConflict[];
};

export type ChangeRequestState = { readonly status: 'absent'; readonly version: 0 } | ExistingChangeRequest;

export const initialChangeRequestState: ChangeRequestState = { status: 'absent', version: 0 };

/** Statuses in which a request may still be reviewed, applied, cancelled or expire. */
export function isPending(state: ChangeRequestState): boolean {
  return state.status === 'open' || state.status === 'approved';
}
