import { isDeepStrictEqual } from 'node:util';
import type { FlagEnvironmentConfig, Serve } from '@flagpole/evaluation';
import { environmentConfigOf, type ExistingFlag, type FlagState } from '../flag/flag.state';
import type { SegmentState } from '../segment/segment.state';
import { assertNever } from '../shared/assert-never';
import type { Problem } from '../shared/problem.types';
import type { ApprovalPolicyState } from './approval-policy.state';
import { policyRequiresApproval, type ApprovalPolicy } from './approval-policy.types';
import type { GovernedCommand } from './governed-commands';

export type RiskRule = 'any_change' | 'toggle' | 'rollout_increase' | 'flag_kind' | 'flag_tag' | 'archive' | 'variants' | 'policy_change';

/**
 * Why a change needs approval. It is a Problem (`field` names the policy rule, `problem` says
 * what the change does) so it fits the API's error `details` as it is.
 */
export interface RiskReason extends Problem {
  readonly rule: RiskRule;
  readonly environment: string;
}

export interface EnvironmentPolicy {
  readonly environment: string;
  readonly policy: ApprovalPolicy;
}

/** The current state of whatever the command changes. */
export type RiskSubject = FlagState | SegmentState | ApprovalPolicyState;

/**
 * Every reason `policy` gives for holding `command` back in its environment, given the current
 * state of what it changes. Pure, and meant for commands the aggregate's decider has accepted
 * (validated, and changing something): decide.ts calls it after deciding.
 */
export function assessRisk(policy: EnvironmentPolicy, command: GovernedCommand, current: RiskSubject): RiskReason[] {
  const { environment } = policy;
  const rules = policy.policy.rules;
  const reasons: RiskReason[] = [];
  const add = (rule: RiskRule, field: string, problem: string) => reasons.push({ rule, environment, field: `rules.${field}`, problem });
  const anyChange = (what: string) => rules.anyChange && add('any_change', 'anyChange', `${what}; every change in "${environment}" needs approval`);
  const flagRules = (flag: ExistingFlag) => {
    const kind = flag.metadata.kind;
    if (rules.flagKinds.includes(kind)) add('flag_kind', 'flagKinds', `flag "${flag.key}" is a ${kind} flag`);
    const tags = flag.metadata.tags.filter((t) => rules.flagTags.includes(t));
    if (tags.length > 0) add('flag_tag', 'flagTags', `flag "${flag.key}" is tagged ${tags.map((t) => `"${t}"`).join(', ')}`);
  };
  switch (command.type) {
    case 'ToggleFlag': {
      const flag = existingFlag(current);
      if (!flag || environmentConfigOf(flag, environment).on === command.data.on) return [];
      const what = `turns flag "${flag.key}" ${command.data.on ? 'on' : 'off'} in "${environment}"`;
      anyChange(what);
      if (rules.toggles) add('toggle', 'toggles', what);
      flagRules(flag);
      return reasons;
    }
    case 'ConfigureFlagEnvironment': {
      const flag = existingFlag(current);
      const after = command.data.config as FlagEnvironmentConfig;
      if (!flag || typeof after !== 'object' || after === null) return [];
      const before = environmentConfigOf(flag, environment);
      if (isDeepStrictEqual(before, after)) return [];
      anyChange(`changes the configuration of flag "${flag.key}" in "${environment}"`);
      if (rules.toggles && before.on !== after.on) add('toggle', 'toggles', `turns flag "${flag.key}" ${after.on ? 'on' : 'off'} in "${environment}"`);
      if (rules.rolloutIncreaseAbove !== null) {
        for (const increase of rolloutIncreases(before, after)) {
          if (increase.points > rules.rolloutIncreaseAbove) {
            add(
              'rollout_increase',
              'rolloutIncreaseAbove',
              `${increase.slot} serves variant "${increase.variant}" to ${format(increase.after)}% instead of ${format(increase.before)}% (+${format(increase.points)} points, more than ${format(rules.rolloutIncreaseAbove)})`,
            );
          }
        }
      }
      flagRules(flag);
      return reasons;
    }
    case 'SetFlagVariants': {
      const flag = existingFlag(current);
      if (!flag) return [];
      anyChange(`changes the variants of flag "${flag.key}"`);
      if (rules.variants) add('variants', 'variants', `changes the variants of flag "${flag.key}"`);
      flagRules(flag);
      return reasons;
    }
    case 'ArchiveFlag':
    case 'RestoreFlag': {
      const flag = existingFlag(current);
      if (!flag) return [];
      const what = `${command.type === 'ArchiveFlag' ? 'archives' : 'restores'} flag "${flag.key}"`;
      anyChange(what);
      if (rules.archive) add('archive', 'archive', what);
      flagRules(flag);
      return reasons;
    }
    case 'UpdateFlagMetadata': {
      // Names and descriptions do not change what is served; kind and tags decide which rules
      // protect a flag, so moving a flag out of (or into) a protected kind or tag is governed.
      const flag = existingFlag(current);
      if (!flag) return [];
      const { kind, tags } = command.data;
      if (kind !== undefined && kind !== null && kind !== flag.metadata.kind) {
        const protectedKinds = [flag.metadata.kind, kind].filter((k) => (rules.flagKinds as readonly unknown[]).includes(k));
        if (protectedKinds.length > 0) add('flag_kind', 'flagKinds', `changes the kind of flag "${flag.key}" from ${flag.metadata.kind} to ${String(kind)}`);
      }
      if (Array.isArray(tags) && !isDeepStrictEqual(tags, flag.metadata.tags)) {
        const changed = [...flag.metadata.tags.filter((t) => !tags.includes(t)), ...tags.filter((t: unknown) => !flag.metadata.tags.includes(t as string))];
        const touched = changed.filter((t) => rules.flagTags.includes(t as string));
        if (touched.length > 0) add('flag_tag', 'flagTags', `changes the tags ${touched.map((t) => `"${String(t)}"`).join(', ')} of flag "${flag.key}"`);
      }
      return reasons;
    }
    case 'CreateSegment':
    case 'UpdateSegment':
    case 'DeleteSegment': {
      const verb = { CreateSegment: 'creates', UpdateSegment: 'changes', DeleteSegment: 'deletes' }[command.type];
      anyChange(`${verb} segment "${command.data.key}"`);
      return reasons;
    }
    case 'SetApprovalPolicy': {
      const existing = current as ApprovalPolicyState;
      if (existing.status === 'active' && policyRequiresApproval(existing.policy)) {
        add('policy_change', 'policy', `the approval policy of "${environment}" requires approvals, so changing it does too`);
      }
      return reasons;
    }
    default:
      return assertNever(command, 'governed command');
  }
}

function existingFlag(state: RiskSubject): ExistingFlag | undefined {
  return 'metadata' in state ? state : undefined;
}

export interface RolloutIncrease {
  /** `fallthrough` or `rule "<id>"`. */
  readonly slot: string;
  readonly variant: string;
  readonly before: number;
  readonly after: number;
  readonly points: number;
}

/**
 * How much more traffic each variant but the off variant gets, in percentage points, wherever
 * something is served in both configurations: the fallthrough and every rule kept by id. A new
 * rule is an `anyChange`, not a rollout increase — it targets someone, it does not widen a rollout.
 */
export function rolloutIncreases(before: FlagEnvironmentConfig, after: FlagEnvironmentConfig): RolloutIncrease[] {
  const slotsBefore = servingSlots(before);
  const increases: RolloutIncrease[] = [];
  for (const [slot, shares] of servingSlots(after)) {
    const previous = slotsBefore.get(slot);
    if (!previous) continue;
    for (const [variant, share] of shares) {
      if (variant === after.offVariant) continue;
      const was = previous.get(variant) ?? 0;
      if (share > was) increases.push({ slot, variant, before: was, after: share, points: round(share - was) });
    }
  }
  return increases;
}

function servingSlots(config: FlagEnvironmentConfig): Map<string, Map<string, number>> {
  const slots = new Map<string, Map<string, number>>([['fallthrough', shares(config.fallthrough)]]);
  for (const rule of config.rules ?? []) slots.set(`rule "${rule.id}"`, shares(rule.serve));
  return slots;
}

/** Variant → percentage of the contexts reaching this serve that get it. */
function shares(serve: Serve): Map<string, number> {
  if ('variant' in serve) return new Map([[serve.variant, 100]]);
  const modulus = serve.rollout.modulus ?? 100_000;
  const result = new Map<string, number>();
  for (const v of serve.rollout.variants) result.set(v.variant, (result.get(v.variant) ?? 0) + (v.weight / modulus) * 100);
  return result;
}

function round(points: number): number {
  return Math.round(points * 1000) / 1000;
}

function format(points: number): string {
  return String(round(points));
}
