import type { FlagDefinition, FlagEnvironmentConfig, Prerequisite, Target } from '../model/flag.types';
import type { EvaluationResult } from '../model/result.types';
import { compileAttributeReader } from './attribute.compile';
import type { CompiledFlag } from './compiled.types';
import { compileCondition } from './condition.compile';
import { FixedFlag, OneRuleFlag, RolloutFlag, SteppingFlag, type CompiledRule, type CompiledTarget, type PrerequisiteCheck } from './flag-shapes';
import { MAX_PREREQUISITE_DEPTH } from './limits';
import { errorResult, fixedResult } from './results';
import { compileServe, RolloutServe } from './serve.compile';
import { VariantTable } from './variant-table';

/**
 * Compiles a flag for one environment, or returns undefined when the flag has no configuration
 * there. Expects a definition that passed validation; one that cannot be compiled yields a flag
 * whose every evaluation is an ERROR with PARSE_ERROR, so a bad definition never throws later.
 * The definition is not kept: with thousands of flags it would double the heap.
 */
export function compileFlag(definition: FlagDefinition, environment: string): CompiledFlag | undefined {
  if (!Object.hasOwn(definition.environments ?? {}, environment)) return undefined;
  const config = definition.environments[environment];
  try {
    return compileConfig(definition, environment, config);
  } catch (error) {
    const message = `flag ${definition.key} cannot be compiled: ${error instanceof Error ? error.message : String(error)}`;
    return brokenFlag(definition, environment, message);
  }
}

/** A flag that answers every evaluation with ERROR / PARSE_ERROR (used for invalid definitions). */
export function brokenFlag(definition: FlagDefinition, environment: string, message: string): CompiledFlag {
  return new FixedFlag(definition.key, definition.type, environment, false, errorResult(null, 'PARSE_ERROR', message));
}

// Picks the smallest shape (flag-shapes.ts) that can run the configuration.
function compileConfig(definition: FlagDefinition, environment: string, config: FlagEnvironmentConfig): CompiledFlag {
  const { key, type } = definition;
  const variants = new VariantTable(definition.variants);
  const offValue = variants.value(config.offVariant);
  if (!config.on) return new FixedFlag(key, type, environment, false, fixedResult(offValue, config.offVariant, 'DISABLED'));
  const prerequisites = config.prerequisites?.length
    ? compilePrerequisites(key, config.prerequisites, fixedResult(offValue, config.offVariant, 'PREREQUISITE_FAILED'), offValue)
    : undefined;
  const targets = config.targets?.length ? config.targets.map((target) => compileTarget(target, variants)) : NONE;
  const rules: readonly CompiledRule[] = (config.rules ?? []).map((rule) => ({
    holds: compileCondition(rule.condition, { defaultSalt: key, allowSegments: true }),
    serve: compileServe(rule.serve, variants, 'TARGETING_MATCH', key, rule.id),
  }));
  const fallthrough = compileServe(config.fallthrough, variants, 'DEFAULT', key);
  if (prerequisites === undefined && targets.length === 0) {
    if (rules.length === 0) {
      return fallthrough instanceof RolloutServe
        ? new RolloutFlag(key, type, environment, fallthrough)
        : new FixedFlag(key, type, environment, true, fallthrough);
    }
    if (rules.length === 1) return new OneRuleFlag(key, type, environment, rules[0].holds, rules[0].serve, fallthrough);
  }
  return new SteppingFlag(key, type, environment, prerequisites, targets, rules.length ? rules : NONE, fallthrough);
}

// Shared by every flag without targets (or rules): an empty array per flag is 32 bytes for nothing.
const NONE: readonly never[] = Object.freeze([]);

function compileTarget(target: Target, variants: VariantTable): CompiledTarget {
  return {
    read: compileAttributeReader(target.attribute ?? 'targetingKey'),
    values: new Set(target.values),
    result: fixedResult(variants.value(target.variant), target.variant, 'TARGETING_MATCH'),
  };
}

/**
 * Prerequisites are evaluated in the same store and context. `chain` holds the flags whose
 * prerequisites are being checked, so a cycle (which validation should have refused) or an
 * excessive depth ends in ERROR instead of a stack overflow; that error propagates to the caller.
 */
function compilePrerequisites(
  key: string,
  prerequisites: readonly Prerequisite[],
  failed: EvaluationResult,
  offValue: EvaluationResult['value'],
): PrerequisiteCheck {
  const checks = prerequisites.map((p) => ({ flag: p.flag, variants: new Set(p.variants) }));
  return (context, store, now, outer) => {
    const chain = outer ?? [];
    if (chain.length >= MAX_PREREQUISITE_DEPTH) {
      return errorResult(offValue, 'GENERAL', `prerequisites nested deeper than ${MAX_PREREQUISITE_DEPTH}`);
    }
    chain.push(key);
    try {
      for (const check of checks) {
        if (chain.includes(check.flag)) {
          return errorResult(offValue, 'GENERAL', `prerequisite cycle: ${[...chain, check.flag].join(' -> ')}`);
        }
        const flag = store.getFlag(check.flag);
        if (flag === undefined) return failed;
        const result = flag.run(context, store, now, chain);
        if (result.reason === 'ERROR') return errorResult(offValue, result.errorCode ?? 'GENERAL', result.errorMessage ?? '');
        if (!prerequisiteHolds(result, check.variants)) return failed;
      }
      return undefined;
    } finally {
      chain.pop();
    }
  };
}

// An off prerequisite fails even when its off variant is listed: "on and serving X" is the contract.
function prerequisiteHolds(result: EvaluationResult, variants: ReadonlySet<string>): boolean {
  if (result.reason === 'DISABLED' || result.reason === 'PREREQUISITE_FAILED') return false;
  return result.variant !== undefined && variants.has(result.variant);
}
