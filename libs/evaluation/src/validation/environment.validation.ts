import type { FlagType, JsonValue } from '../model/flag.types';
import { checkAttributePath } from './attribute.validation';
import { validateCondition } from './condition.validation';
import { FLAG_KEY, RULE_ID } from './keys';
import { LIMITS } from './limits';
import { checkArray, checkObject, checkPattern, indexPath, keyPath, typeName, type ProblemSink } from './problem-sink';
import type { Problem } from './problem.types';
import type { ValidationScope } from './scope.types';
import { checkVariantReference, validateServe } from './serve.validation';

/** Optional knowledge of the rest of the world that makes validation stricter. */
export interface ValidationOptions {
  /** When given, every segment a `segment` clause names must exist. */
  readonly segmentExists?: (key: string) => boolean;
  /**
   * When given, every prerequisite must name a flag it knows (it returns that flag's variant
   * names, or undefined for an unknown flag) and list only variants of that flag.
   */
  readonly prerequisiteVariants?: (flagKey: string) => readonly string[] | undefined;
}

/** The parts of a flag an environment configuration is checked against. */
export interface FlagHeader {
  readonly key: string;
  readonly type: FlagType;
  readonly variants: Readonly<Record<string, JsonValue>>;
}

const CONFIG_REQUIRED = ['on', 'offVariant', 'fallthrough'] as const;
const CONFIG_OPTIONAL = ['targets', 'rules', 'prerequisites'] as const;

/**
 * Validates one environment's configuration of a flag and returns every problem found: variant
 * references, rollout weights, unique rule ids, operators and their values, attribute paths,
 * prerequisites, size bounds and unknown properties.
 */
export function validateEnvironmentConfig(flag: FlagHeader, config: unknown, options?: ValidationOptions): Problem[] {
  const sink: ProblemSink = [];
  checkEnvironmentConfig(flag.key, new Set(Object.keys(flag.variants ?? {})), config, '', options ?? {}, sink);
  return sink;
}

/** validateEnvironmentConfig writing into a sink under a path prefix. */
export function checkEnvironmentConfig(
  flagKey: unknown,
  variants: ReadonlySet<string>,
  config: unknown,
  path: string,
  options: ValidationOptions,
  sink: ProblemSink,
): void {
  if (!checkObject(config, path, sink, CONFIG_REQUIRED, CONFIG_OPTIONAL)) return;
  if (config.on !== undefined && typeof config.on !== 'boolean') {
    sink.push({ path: keyPath(path, 'on'), problem: `must be a boolean, not ${typeName(config.on)}` });
  }
  if (config.offVariant !== undefined) checkVariantReference(config.offVariant, keyPath(path, 'offVariant'), variants, sink);
  if (config.targets !== undefined) checkTargets(config.targets, keyPath(path, 'targets'), variants, sink);
  const scope: ValidationScope = {
    variants,
    segmentExists: options.segmentExists,
    inSegment: false,
    budget: { nodes: 0, reported: false },
  };
  if (config.rules !== undefined) checkRules(config.rules, keyPath(path, 'rules'), scope, variants, sink);
  if (config.fallthrough !== undefined) validateServe(config.fallthrough, keyPath(path, 'fallthrough'), variants, sink);
  if (config.prerequisites !== undefined) {
    checkPrerequisites(flagKey, config.prerequisites, keyPath(path, 'prerequisites'), options, sink);
  }
}

function checkTargets(targets: unknown, path: string, variants: ReadonlySet<string>, sink: ProblemSink): void {
  if (!checkArray(targets, path, sink, LIMITS.maxTargets)) return;
  targets.forEach((target, index) => {
    const targetPath = indexPath(path, index);
    if (!checkObject(target, targetPath, sink, ['variant', 'values'], ['attribute'])) return;
    if (target.variant !== undefined) checkVariantReference(target.variant, keyPath(targetPath, 'variant'), variants, sink);
    if (target.attribute !== undefined) checkAttributePath(target.attribute, keyPath(targetPath, 'attribute'), sink);
    if (target.values !== undefined) checkStringList(target.values, keyPath(targetPath, 'values'), LIMITS.maxTargetValues, sink);
  });
}

/** A list of strings (target and segment values). */
export function checkStringList(values: unknown, path: string, max: number, sink: ProblemSink): void {
  if (!checkArray(values, path, sink, max)) return;
  values.forEach((value, index) => {
    if (typeof value !== 'string' || value.length > LIMITS.maxClauseStringLength) {
      sink.push({ path: indexPath(path, index), problem: `must be a string of at most ${LIMITS.maxClauseStringLength} characters` });
    }
  });
}

function checkRules(rules: unknown, path: string, scope: ValidationScope, variants: ReadonlySet<string>, sink: ProblemSink): void {
  if (!checkArray(rules, path, sink, LIMITS.maxRules)) return;
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const rulePath = indexPath(path, index);
    if (!checkObject(rule, rulePath, sink, ['id', 'condition', 'serve'], ['description'])) return;
    if (rule.id !== undefined && checkPattern(rule.id, keyPath(rulePath, 'id'), sink, RULE_ID, 'rule id')) {
      const first = seen.get(rule.id);
      if (first !== undefined) sink.push({ path: keyPath(rulePath, 'id'), problem: `duplicate rule id ${JSON.stringify(rule.id)} (also rules[${first}])` });
      else seen.set(rule.id, index);
    }
    if (rule.description !== undefined && (typeof rule.description !== 'string' || rule.description.length > LIMITS.maxDescriptionLength)) {
      sink.push({ path: keyPath(rulePath, 'description'), problem: `must be a string of at most ${LIMITS.maxDescriptionLength} characters` });
    }
    if (rule.condition !== undefined) validateCondition(rule.condition, keyPath(rulePath, 'condition'), 1, scope, sink);
    if (rule.serve !== undefined) validateServe(rule.serve, keyPath(rulePath, 'serve'), variants, sink);
  });
}

function checkPrerequisites(flagKey: unknown, prerequisites: unknown, path: string, options: ValidationOptions, sink: ProblemSink): void {
  if (!checkArray(prerequisites, path, sink, LIMITS.maxPrerequisites)) return;
  prerequisites.forEach((prerequisite, index) => {
    const prerequisitePath = indexPath(path, index);
    if (!checkObject(prerequisite, prerequisitePath, sink, ['flag', 'variants'])) return;
    const flagPath = keyPath(prerequisitePath, 'flag');
    let known: readonly string[] | undefined;
    if (prerequisite.flag !== undefined && checkPattern(prerequisite.flag, flagPath, sink, FLAG_KEY, 'flag key')) {
      if (prerequisite.flag === flagKey) sink.push({ path: flagPath, problem: 'a flag cannot be its own prerequisite' });
      else if (options.prerequisiteVariants !== undefined) {
        known = options.prerequisiteVariants(prerequisite.flag);
        if (known === undefined) sink.push({ path: flagPath, problem: `flag ${JSON.stringify(prerequisite.flag)} does not exist` });
      }
    }
    if (prerequisite.variants !== undefined) checkPrerequisiteVariants(prerequisite.variants, keyPath(prerequisitePath, 'variants'), known, sink);
  });
}

function checkPrerequisiteVariants(variants: unknown, path: string, known: readonly string[] | undefined, sink: ProblemSink): void {
  if (!checkArray(variants, path, sink, LIMITS.maxVariants, 1)) return;
  variants.forEach((variant, index) => {
    if (typeof variant !== 'string') sink.push({ path: indexPath(path, index), problem: `must be a variant name, not ${typeName(variant)}` });
    else if (known !== undefined && !known.includes(variant)) {
      sink.push({ path: indexPath(path, index), problem: `the prerequisite flag has no variant ${JSON.stringify(variant)}` });
    }
  });
}

