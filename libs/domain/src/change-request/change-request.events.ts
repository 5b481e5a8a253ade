import type { RiskReason } from '../approval-policy/risk-assessment';
import type { Actor } from '../shared/command-metadata.types';
import type { Event } from '../shared/decider.types';
import type { ProposedChange, ReviewDecision, StaleConflict } from './change-request.types';

export type ChangeRequestOpened = Event<
  'ChangeRequestOpened',
  {
    readonly id: string;
    readonly title: string;
    readonly description: string;
    readonly author: Actor;
    /** Environments the changes reach: their policies decide the quorum. */
    readonly environments: readonly string[];
    readonly changes: readonly ProposedChange[];
    /** What the policies said about the changes when the request was opened. */
    readonly risk: readonly RiskReason[];
    readonly openedAt: string;
    readonly applyAt: string | null;
    readonly expiresAt: string;
  }
>;
export type ChangeRequestReviewed = Event<
  'ChangeRequestReviewed',
  { readonly reviewer: Actor; readonly decision: ReviewDecision; readonly comment: string; readonly at: string; readonly counted: boolean }
>;
/** The quorum was reached (under the policies in force then; applying checks again). */
export type ChangeRequestApproved = Event<'ChangeRequestApproved', { readonly approvals: readonly string[]; readonly requiredApprovals: number }>;
export type ChangeRequestDeclined = Event<'ChangeRequestDeclined', { readonly by: string }>;
/** Written in the same transaction as the changes' own events, which carry the request's id. */
export type ChangeRequestApplied = Event<
  'ChangeRequestApplied',
  { readonly approvals: readonly string[]; readonly requiredApprovals: number; readonly appliedAt: string; readonly scheduled: boolean }
>;
/** Something a change is based on moved on: the request must be re-opened against the new version. */
export type ChangeRequestMarkedStale = Event<'ChangeRequestMarkedStale', { readonly conflicts: readonly StaleConflict[]; readonly at: string }>;
export type ChangeRequestCancelled = Event<'ChangeRequestCancelled', { readonly at: string }>;
export type ChangeRequestExpired = Event<'ChangeRequestExpired', { readonly at: string }>;

export type ChangeRequestEvent =
  | ChangeRequestOpened
  | ChangeRequestReviewed
  | ChangeRequestApproved
  | ChangeRequestDeclined
  | ChangeRequestApplied
  | ChangeRequestMarkedStale
  | ChangeRequestCancelled
  | ChangeRequestExpired;
