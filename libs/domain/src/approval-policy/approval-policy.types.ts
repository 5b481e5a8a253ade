import { FLAG_KINDS, type FlagKind } from '../flag/flag.types';
import type { Problem } from '../shared/problem.types';

/** Which changes in an environment need an approved change request. Every rule is off by default. */
export interface RiskRules {
  /** Every change that reaches the environment. */
  readonly anyChange: boolean;
  /** Turning a flag on or off. */
  readonly toggles: boolean;
  /** A rollout giving any variant but the off variant more than this many percentage points more; null = off. */
  readonly rolloutIncreaseAbove: number | null;
  /** Any change to flags of these kinds (e.g. `permission`, `operational`). */
  readonly flagKinds: readonly FlagKind[];
  /** Any change to flags carrying one of these tags (e.g. `critical`). */
  readonly flagTags: readonly string[];
  /** Archiving (or restoring) a flag. */
  readonly archive: boolean;
  /** Changing a flag's variants. */
  readonly variants: boolean;
}

/** One environment's approval policy (issue 6). */
export interface ApprovalPolicy {
  /** Distinct approvers a change request needs, 1-10. The author never counts unless `allowSelfApproval`. */
  readonly requiredApprovals: number;
  readonly allowSelfApproval: boolean;
  /** One decline closes the request. */
  readonly declineBlocks: boolean;
  readonly rules: RiskRules;
}

export const NO_RISK_RULES: RiskRules = {
  anyChange: false,
  toggles: false,
  rolloutIncreaseAbove: null,
  flagKinds: [],
  flagTags: [],
  archive: false,
  variants: false,
};

/** What an environment without a policy behaves like: nothing needs approval, one approval suffices. */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = { requiredApprovals: 1, allowSelfApproval: false, declineBlocks: false, rules: NO_RISK_RULES };

/** A policy with any rule switched on makes some change need approval — including a change to itself. */
export function policyRequiresApproval(policy: ApprovalPolicy): boolean {
  const r = policy.rules;
  return r.anyChange || r.toggles || r.rolloutIncreaseAbove !== null || r.flagKinds.length > 0 || r.flagTags.length > 0 || r.archive || r.variants;
}

/** Validates a policy from the outside world, filling every omitted field with its default. */
export function parseApprovalPolicy(input: unknown, field = 'policy'): { problems: Problem[]; policy?: ApprovalPolicy } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { problems: [{ field, problem: 'must be an object' }] };
  const raw = input as Record<string, unknown>;
  const rules = (raw.rules ?? {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  const bool = (value: unknown, name: string, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') problems.push({ field: `${field}.${name}`, problem: 'must be a boolean' });
    return value === true;
  };
  const requiredApprovals = raw.requiredApprovals ?? 1;
  if (!Number.isInteger(requiredApprovals) || (requiredApprovals as number) < 1 || (requiredApprovals as number) > 10) {
    problems.push({ field: `${field}.requiredApprovals`, problem: 'must be an integer from 1 to 10' });
  }
  const allowSelfApproval = bool(raw.allowSelfApproval, 'allowSelfApproval', false);
  const declineBlocks = bool(raw.declineBlocks, 'declineBlocks', false);
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    problems.push({ field: `${field}.rules`, problem: 'must be an object' });
    return { problems };
  }
  const rollout = rules.rolloutIncreaseAbove ?? null;
  if (rollout !== null && (typeof rollout !== 'number' || !Number.isFinite(rollout) || rollout < 0 || rollout > 100)) {
    problems.push({ field: `${field}.rules.rolloutIncreaseAbove`, problem: 'must be null or a number of percentage points from 0 to 100' });
  }
  const kinds = rules.flagKinds ?? [];
  if (!Array.isArray(kinds) || kinds.some((k) => !(FLAG_KINDS as readonly unknown[]).includes(k))) {
    problems.push({ field: `${field}.rules.flagKinds`, problem: `must be an array of ${FLAG_KINDS.join(', ')}` });
  }
  const tags = rules.flagTags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0 || t.length > 100)) {
    problems.push({ field: `${field}.rules.flagTags`, problem: 'must be an array of tags (1-100 characters)' });
  }
  const parsedRules: RiskRules = {
    anyChange: bool(rules.anyChange, 'rules.anyChange', false),
    toggles: bool(rules.toggles, 'rules.toggles', false),
    rolloutIncreaseAbove: rollout as number | null,
    flagKinds: [...new Set(kinds as FlagKind[])],
    flagTags: [...new Set(tags as string[])],
    archive: bool(rules.archive, 'rules.archive', false),
    variants: bool(rules.variants, 'rules.variants', false),
  };
  for (const name of Object.keys(raw)) {
    if (!['requiredApprovals', 'allowSelfApproval', 'declineBlocks', 'rules'].includes(name)) problems.push({ field: `${field}.${name}`, problem: 'is not a policy field' });
  }
  for (const name of Object.keys(rules)) {
    if (!Object.hasOwn(NO_RISK_RULES, name)) problems.push({ field: `${field}.rules.${name}`, problem: 'is not a risk rule' });
  }
  if (problems.length > 0) return { problems };
  return { problems, policy: { requiredApprovals: requiredApprovals as number, allowSelfApproval, declineBlocks, rules: parsedRules } };
}
