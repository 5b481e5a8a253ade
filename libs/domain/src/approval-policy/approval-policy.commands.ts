import type { Command } from '../shared/decider.types';

/** Replaces an environment's approval policy as a whole (`policy` is validated by the decider). */
export type SetApprovalPolicy = Command<'SetApprovalPolicy', { readonly environment: string; readonly policy: unknown }>;

export type ApprovalPolicyCommand = SetApprovalPolicy;
