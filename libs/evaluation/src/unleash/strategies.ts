import type { Condition, PercentageCondition } from '../model/flag.types';
import { clause, FALSE, or, TRUE } from './conditions';
import { toIPv4Cidr } from './constraints';
import { RANDOM_ATTRIBUTE } from './attributes';
import {
  rolloutAlwaysHasValue,
  rolloutBucketBy,
  UNLEASH_PERCENT_MODULUS,
  UNLEASH_STRATEGY_SEED,
} from './stickiness';
import type { Problem, UnleashStrategy } from './unleash.types';

export interface StrategyContext {
  readonly featureName: string;
  /** Position of the strategy in the feature, to decorrelate random strategies. */
  readonly index: number;
  readonly path: string;
  /** The host the imported flags will be evaluated for (`applicationHostname`), if known. */
  readonly hostname?: string;
}

/**
 * The condition under which a built-in Unleash strategy is enabled (its parameters only;
 * constraints and segments are added by the caller), per the reference Node SDK.
 * Unknown strategies are false, as in every Unleash SDK without a custom implementation.
 */
export function strategyCondition(strategy: UnleashStrategy, ctx: StrategyContext, problems: Problem[]): Condition {
  const p = strategy.parameters;
  switch (strategy.name) {
    case 'default':
      return TRUE;
    case 'userWithId': {
      // `context.userId !== undefined && userIds.split(/\s*,\s*/).includes(context.userId)`
      const ids = p.userIds ? String(p.userIds).split(/\s*,\s*/) : [];
      return ids.length === 0 ? FALSE : clause('userId', 'in', ids);
    }
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId': {
      // `hash(groupId:id) % 100 + 1 <= percentage` with a non-empty id, groupId default ''.
      const attribute = strategy.name === 'gradualRolloutUserId' ? 'userId' : 'sessionId';
      return percentage([attribute], groupIdOf(p.groupId), p.percentage, false);
    }
    case 'gradualRolloutRandom': {
      // `percentage >= random(1..100)`: a draw per evaluation, independent of every id.
      return percentage([RANDOM_ATTRIBUTE], `${ctx.featureName}:${ctx.index}:random`, p.percentage, true);
    }
    case 'flexibleRollout': {
      const stickiness = p.stickiness === undefined || p.stickiness === null ? undefined : String(p.stickiness);
      // Random stickiness ignores groupId in effect; a salt of its own keeps strategies independent.
      const salt = stickiness === 'random' ? `${ctx.featureName}:${ctx.index}:random` : groupIdOf(p.groupId);
      return percentage(rolloutBucketBy(stickiness), salt, p.rollout, rolloutAlwaysHasValue(stickiness));
    }
    case 'remoteAddress': {
      // Exact string equality with any listed entry, or (IPv4 only) inside a listed range.
      if (!p.IPs) return FALSE;
      const entries = String(p.IPs).split(/\s*,\s*/);
      const ranges = entries.map(toIPv4Cidr).filter((r): r is string => r !== undefined);
      return or([clause('remoteAddress', 'in', entries), ranges.length === 0 ? FALSE : clause('remoteAddress', 'cidr', ranges)]);
    }
    case 'applicationHostname': {
      if (ctx.hostname === undefined) {
        problems.push({
          severity: 'warning',
          path: `${ctx.path}.name`,
          problem: 'applicationHostname depends on the evaluating host; no `hostname` option was given, so it never matches',
        });
        return FALSE;
      }
      const hostNames = p.hostNames ? String(p.hostNames).toLowerCase().split(/\s*,\s*/) : [];
      return hostNames.includes(ctx.hostname.toLowerCase()) ? TRUE : FALSE;
    }
    default:
      problems.push({
        severity: 'warning',
        path: `${ctx.path}.name`,
        problem: `unknown strategy "${strategy.name}"; Unleash SDKs without a custom implementation evaluate it as false, and so does the import`,
      });
      return FALSE;
  }
}

/** Unleash: `parameters.groupId || ''` (and the hash input is `${groupId}:${id}`). */
function groupIdOf(groupId: unknown): string {
  return groupId ? String(groupId) : '';
}

/**
 * `percentage > 0 && hash % 100 + 1 <= percentage`. For an integer bucket b in 0..99,
 * `b + 1 <= p` ⇔ `b < floor(p)`, so the threshold is floor(p) clamped to 0..100.
 * `alwaysHasValue`: the bucketBy list ends with the random draw, so 100 % is simply true.
 */
function percentage(bucketBy: readonly string[], salt: string, raw: unknown, alwaysHasValue: boolean): Condition {
  const p = Number(raw);
  if (Number.isNaN(p) || p < 1) return FALSE;
  const threshold = Math.min(Math.floor(p), UNLEASH_PERCENT_MODULUS);
  if (threshold >= UNLEASH_PERCENT_MODULUS && alwaysHasValue) return TRUE;
  const condition: PercentageCondition = {
    percentage: {
      bucketBy: bucketBy.length === 1 ? bucketBy[0] : bucketBy,
      salt,
      seed: UNLEASH_STRATEGY_SEED,
      modulus: UNLEASH_PERCENT_MODULUS,
      threshold,
    },
  };
  return condition;
}
