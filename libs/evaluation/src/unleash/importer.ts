import type { Condition, FlagDefinition, FlagEnvironmentConfig, Prerequisite, Rule, SegmentDefinition, Serve } from '../model/flag.types';
import { validateFlagDefinition } from '../validation/flag.validation';
import { validateSegment } from '../validation/segment.validation';
import { and, clause, FALSE, isFalse, isTrue } from './conditions';
import { mapConstraints } from './constraints';
import { flagKeyFor, segmentKeyFor } from './keys';
import { parseUnleashPayload } from './parse';
import { strategyCondition } from './strategies';
import type { Problem, UnleashDependency, UnleashFeature, UnleashStrategy } from './unleash.types';
import { AnswerTable, enabledBranches, OFF_VARIANT, servedVariants, usable, type Branch, type VariantSet } from './variants';

export interface UnleashImportOptions {
  /** The Flagpole environment the features are imported into. */
  readonly environment: string;
  /**
   * The host name the flags will be evaluated on, for the `applicationHostname` strategy (which
   * Unleash resolves from the SDK's own host). Without it that strategy never matches.
   */
  readonly hostname?: string;
  /**
   * Flag key policy; default {@link flagKeyFor} (the feature name, escaped when Flagpole keys
   * cannot hold it). A control plane with a stricter key rule passes its own; distinct names
   * must get distinct keys (clashes are reported as errors).
   */
  readonly flagKey?: (featureName: string) => string;
}

export interface UnleashImport {
  readonly flags: FlagDefinition[];
  readonly segments: SegmentDefinition[];
  readonly problems: Problem[];
  /** Unleash feature name → Flagpole flag key (they differ only for names Flagpole keys cannot hold). */
  readonly keys: Readonly<Record<string, string>>;
}

/** Attribute of segment clauses; the engine ignores it, validation wants one. */
const SEGMENT_CLAUSE_ATTRIBUTE = 'targetingKey';

/**
 * Turns an Unleash client-features payload (or delta stream) into Flagpole flags and segments that
 * evaluate as Unleash does. Every feature becomes a `json` flag whose variant values record both
 * Unleash answers; see README.md for the mapping. Pure: no I/O, no clock, no randomness.
 */
export function importUnleashFeatures(payload: unknown, options: UnleashImportOptions): UnleashImport {
  const parsed = parseUnleashPayload(payload);
  const problems: Problem[] = [...parsed.problems];
  const { features, segments: unleashSegments = [] } = parsed.payload;

  const segmentKeys = new Map<number, string>();
  const segments: SegmentDefinition[] = unleashSegments.map((segment, i) => {
    const key = segmentKeyFor(segment.id);
    segmentKeys.set(segment.id, key);
    return { key, condition: mapConstraints(segment.constraints, `segments[${i}].constraints`, problems) };
  });

  const byName = new Map(features.map((f) => [f.name, f]));
  // Parents that must be able to answer "disabled" without being off (see disabledParents).
  const mustStayOn = disabledParents(features);

  const keys: Record<string, string> = {};
  const usedKeys = new Map<string, string>();
  const built = features.map((feature, i) => {
    const path = `features[${i}]`;
    const key = (options.flagKey ?? flagKeyFor)(feature.name);
    const clash = usedKeys.get(key);
    if (clash !== undefined) {
      problems.push({ severity: 'error', path: `${path}.name`, problem: `maps to flag key ${key}, as does "${clash}"` });
    }
    usedKeys.set(key, feature.name);
    keys[feature.name] = key;
    return buildFeature(feature, key, path, { segmentKeys, hostname: options.hostname, mustStayOn }, problems);
  });

  const flags = built.map(({ key, table, path, feature, config }): FlagDefinition => {
    const prerequisites = resolveDependencies(feature, path, byName, built, problems);
    const env: FlagEnvironmentConfig =
      prerequisites === 'never' ? { ...config, on: false } : prerequisites.length > 0 ? { ...config, prerequisites } : config;
    return { key, type: 'json', variants: table.variants, environments: { [options.environment]: env } };
  });

  // What the engine would refuse (a name too long, more than 100 variants, …) is reported here.
  segments.forEach((segment, i) => {
    for (const p of validateSegment(segment)) {
      problems.push({ severity: 'error', path: `segments[${i}] → ${segment.key}.${p.path}`, problem: p.problem });
    }
  });
  const segmentExists = (key: string): boolean => segments.some((s) => s.key === key);
  const variantsOf = new Map(flags.map((f) => [f.key, Object.keys(f.variants)]));
  flags.forEach((flag, i) => {
    for (const p of validateFlagDefinition(flag, { segmentExists, prerequisiteVariants: (key) => variantsOf.get(key) })) {
      problems.push({ severity: 'error', path: `${built[i].path} → ${flag.key}.${p.path}`, problem: p.problem });
    }
  });
  return { flags, segments, problems, keys };
}

interface BuildContext {
  readonly segmentKeys: ReadonlyMap<number, string>;
  readonly hostname: string | undefined;
  readonly mustStayOn: ReadonlySet<string>;
}

interface Built {
  readonly feature: UnleashFeature;
  readonly path: string;
  readonly key: string;
  readonly table: AnswerTable;
  /** The environment configuration, prerequisites not yet resolved. */
  readonly config: FlagEnvironmentConfig;
}

function buildFeature(feature: UnleashFeature, key: string, path: string, ctx: BuildContext, problems: Problem[]): Built {
  const table = new AnswerTable();
  const featureSet: VariantSet | undefined = usable(feature.variants)
    ? { variants: feature.variants ?? [], salt: feature.name, stickiness: feature.variants?.[0]?.stickiness }
    : undefined;

  let branches: Branch[] = [];
  if (feature.strategies !== undefined && feature.strategies.length === 0) {
    // No strategies: enabled for everyone (Unleash returns `feature.enabled`).
    branches = enabledBranches({ all: [] }, featureSet, table, 'variants', 'no strategies: enabled for everyone');
  }
  (feature.strategies ?? []).forEach((strategy, i) => {
    const at = `${path}.strategies[${i}]`;
    const condition = strategyMatch(feature, strategy, i, at, ctx, problems);
    if (isFalse(condition)) return;
    // A strategy's own variants win when their total weight is positive; else the feature's.
    const set: VariantSet | undefined = usable(strategy.variants)
      ? {
          variants: strategy.variants ?? [],
          // Unleash hashes `${parameters.groupId}:…`, so a missing groupId hashes as "undefined".
          salt: `${strategy.parameters.groupId as string | undefined}`,
          stickiness: strategy.variants?.[0]?.stickiness || stringOrUndefined(strategy.parameters.stickiness),
        }
      : featureSet;
    branches.push(...enabledBranches(condition, set, table, `strategy-${i}`, `Unleash strategy ${i}: ${strategy.name}`));
  });

  // Nothing after an always-true branch can match; an always-true last branch is the fallthrough.
  const firstAlways = branches.findIndex((b) => isTrue(b.condition));
  let fallthrough: Serve = { variant: OFF_VARIANT };
  if (firstAlways >= 0) {
    fallthrough = branches[firstAlways].serve;
    branches = branches.slice(0, firstAlways);
  }
  const rules: Rule[] = branches.map((b) => ({ id: b.id, description: b.description, condition: b.condition, serve: b.serve }));

  let on = feature.enabled && feature.strategies !== undefined;
  if (!on && ctx.mustStayOn.has(feature.name)) {
    // Flagpole prerequisites never hold on an off flag; this one is a parent whose children
    // require it disabled, so it stays on and serves the disabled answer to everyone.
    problems.push({
      severity: 'warning',
      path: `${path}.enabled`,
      problem: 'disabled, and a dependency requires it disabled: imported as on with every context served "off" (see README "Dependencies")',
    });
    on = true;
    rules.length = 0;
    fallthrough = { variant: OFF_VARIANT };
  }
  table.retainOnly(new Set([...rules, { serve: fallthrough }].flatMap((r) => servedVariants(r.serve))));
  const config: FlagEnvironmentConfig = rules.length > 0 ? { on, offVariant: OFF_VARIANT, rules, fallthrough } : { on, offVariant: OFF_VARIANT, fallthrough };
  return { feature, path, key, table, config };
}

/** Constraints, then segments, then the strategy's own parameters; all must hold. */
function strategyMatch(
  feature: UnleashFeature,
  strategy: UnleashStrategy,
  index: number,
  path: string,
  ctx: BuildContext,
  problems: Problem[],
): Condition {
  const constraints = mapConstraints(strategy.constraints, `${path}.constraints`, problems);
  const segments = (strategy.segments ?? []).map((id, j) => {
    const key = ctx.segmentKeys.get(id);
    if (key === undefined) {
      problems.push({ severity: 'warning', path: `${path}.segments[${j}]`, problem: `segment ${id} does not exist; Unleash then never matches this strategy` });
      return FALSE;
    }
    return clause(SEGMENT_CLAUSE_ATTRIBUTE, 'segment', [key]);
  });
  const own = strategyCondition(strategy, { featureName: feature.name, index, path, hostname: ctx.hostname }, problems);
  return and([constraints, ...segments, own]);
}

/**
 * Unleash dependencies as Flagpole prerequisites. A dependency holds when the parent (evaluated
 * with the same context) is enabled (default), enabled with one of the listed variants, or
 * disabled (`enabled: false`). Unleash allows one level only: a missing parent, or a parent that
 * has dependencies itself (including cycles), makes the child always disabled ('never').
 */
function resolveDependencies(
  feature: UnleashFeature,
  path: string,
  byName: ReadonlyMap<string, UnleashFeature>,
  built: readonly Built[],
  problems: Problem[],
): Prerequisite[] | 'never' {
  const prerequisites: Prerequisite[] = [];
  const deps = feature.dependencies ?? [];
  for (let i = 0; i < deps.length; i++) {
    const dep: UnleashDependency = deps[i];
    const at = `${path}.dependencies[${i}]`;
    const parent = byName.get(dep.feature);
    if (parent === undefined) {
      problems.push({ severity: 'warning', path: at, problem: `parent "${dep.feature}" does not exist; Unleash keeps the child disabled` });
      return 'never';
    }
    if (parent.dependencies?.length) {
      problems.push({ severity: 'warning', path: at, problem: `parent "${dep.feature}" has dependencies itself; Unleash keeps the child disabled` });
      return 'never';
    }
    const parentBuilt = built.find((b) => b.feature === parent);
    if (parentBuilt === undefined) return 'never';
    const wanted = [...parentBuilt.table.answers.entries()].filter(([, answer]) => {
      if (dep.enabled === false) return !answer.enabled;
      if (dep.variants?.length) return answer.enabled && answer.variant.feature_enabled && dep.variants.includes(answer.variant.name);
      return answer.enabled;
    });
    if (wanted.length === 0) {
      problems.push({ severity: 'warning', path: at, problem: `parent "${dep.feature}" can never answer as required; the child stays disabled` });
      return 'never';
    }
    prerequisites.push({ flag: parentBuilt.key, variants: wanted.map(([key]) => key) });
  }
  return prerequisites;
}

/** Features some dependency requires to be disabled. */
function disabledParents(features: readonly UnleashFeature[]): Set<string> {
  const names = new Set<string>();
  for (const f of features) for (const d of f.dependencies ?? []) if (d.enabled === false) names.add(d.feature);
  return names;
}

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
