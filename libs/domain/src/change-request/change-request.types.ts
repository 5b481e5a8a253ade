import type { GovernedCommand, GovernedCommandType } from '../approval-policy/governed-commands';
import type { RiskReason } from '../approval-policy/risk-assessment';
import type { ApprovalPolicy } from '../approval-policy/approval-policy.types';
import type { Actor } from '../shared/command-metadata.types';
import type { EnvironmentScope, Role } from '../token/token.types';

/** A change as the author proposes it; `baseVersion` omitted → the aggregate's version at opening. */
export interface ProposedChangeInput {
  readonly type: unknown;
  readonly data: unknown;
  readonly baseVersion?: unknown;
}

/** A proposed change as the request holds it: a governed command and the version it was based on. */
export interface ProposedChange {
  readonly type: GovernedCommandType;
  readonly data: GovernedCommand['data'];
  readonly aggregateId: string;
  readonly baseVersion: number;
}

export type ReviewDecision = 'approve' | 'decline';

export interface Review {
  readonly reviewer: Actor;
  readonly decision: ReviewDecision;
  readonly comment: string;
  readonly at: string;
  /** Whether this approval counts towards the quorum (an author's approval only if the policy allows). */
  readonly counted: boolean;
}

export interface StaleConflict {
  readonly aggregateId: string;
  readonly baseVersion: number;
  readonly currentVersion: number;
}

/** The role and environment scope of the token behind a command, for the authorisation rules of the workflow. */
export interface Authority {
  readonly role: Role;
  readonly environments: EnvironmentScope;
}

/** What opening needs to know about the proposed changes; decide.ts answers it by trying them. */
export interface ChangePreview {
  readonly changes: readonly ProposedChange[];
  readonly environments: readonly string[];
  readonly risk: readonly RiskReason[];
}

/**
 * Facts about other aggregates a change request's decisions need. decide.ts answers them from
 * the writer's state; unit tests from plain data.
 */
export interface ChangeRequestContext {
  /** The policies in force where the request reaches (environments without one are left out). */
  policiesOf(environments: readonly string[]): readonly ApprovalPolicy[];
  versionOf(aggregateId: string): number;
  /** Tries the changes in order against the current state; throws the first DomainError (fields prefixed `changes[i]`). */
  preview(changes: readonly ProposedChangeInput[]): ChangePreview;
}

/** The strictest reading of several policies: most approvals, self-approval only if all allow it, any blocking decline. */
export interface EffectivePolicy {
  readonly requiredApprovals: number;
  readonly allowSelfApproval: boolean;
  readonly declineBlocks: boolean;
}

export function effectivePolicy(policies: readonly ApprovalPolicy[]): EffectivePolicy {
  return {
    requiredApprovals: Math.max(1, ...policies.map((p) => p.requiredApprovals)),
    allowSelfApproval: policies.length > 0 && policies.every((p) => p.allowSelfApproval),
    declineBlocks: policies.some((p) => p.declineBlocks),
  };
}
