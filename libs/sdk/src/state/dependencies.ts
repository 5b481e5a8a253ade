import type { Condition, FlagDefinition, SegmentDefinition } from '@flagpole/evaluation';

/** What a flag's configuration in one environment depends on, read from its definition. */
export interface FlagDependencies {
  /** Segment keys named by `segment` clauses of its rules. */
  readonly segments: readonly string[];
  /** Keys of its prerequisite flags. */
  readonly prerequisites: readonly string[];
  /** A `before`/`after` clause on `currentTime`: evaluation needs the client's clock (SPEC.md §6). */
  readonly usesCurrentTime: boolean;
}

const NONE: FlagDependencies = Object.freeze({ segments: [], prerequisites: [], usesCurrentTime: false });

/**
 * Reads the dependencies of a flag in an environment. Definitions come from the wire and may be
 * invalid (the engine then serves PARSE_ERROR), so every step checks shapes and never throws.
 */
export function flagDependencies(definition: FlagDefinition, environment: string): FlagDependencies {
  const config = isObject(definition?.environments) ? definition.environments[environment] : undefined;
  if (!isObject(config)) return NONE;
  const segments = new Set<string>();
  const walk = { segments, usesCurrentTime: false };
  if (Array.isArray(config.rules)) {
    for (const rule of config.rules) if (isObject(rule)) walkCondition(rule.condition, walk, 0);
  }
  const prerequisites = Array.isArray(config.prerequisites)
    ? config.prerequisites.flatMap((p) => (isObject(p) && typeof p.flag === 'string' ? [p.flag] : []))
    : [];
  if (segments.size === 0 && prerequisites.length === 0 && !walk.usesCurrentTime) return NONE;
  return { segments: [...segments], prerequisites, usesCurrentTime: walk.usesCurrentTime };
}

/** True when the segment's condition has a `before`/`after` clause on `currentTime`. */
export function segmentUsesCurrentTime(definition: SegmentDefinition): boolean {
  const walk = { segments: new Set<string>(), usesCurrentTime: false };
  if (isObject(definition)) walkCondition(definition.condition, walk, 0);
  return walk.usesCurrentTime;
}

interface Walk {
  readonly segments: Set<string>;
  usesCurrentTime: boolean;
}

// Validation caps nesting at depth 10; the guard only protects against hostile input.
const MAX_DEPTH = 64;

function walkCondition(condition: Condition | undefined, walk: Walk, depth: number): void {
  if (!isObject(condition) || depth > MAX_DEPTH) return;
  const node = condition as unknown as Record<string, unknown>;
  if (Array.isArray(node.all)) for (const child of node.all) walkCondition(child as Condition, walk, depth + 1);
  if (Array.isArray(node.any)) for (const child of node.any) walkCondition(child as Condition, walk, depth + 1);
  if (isObject(node.not)) walkCondition(node.not as Condition, walk, depth + 1);
  if (typeof node.operator !== 'string') return;
  if (node.operator === 'segment' && Array.isArray(node.values)) {
    for (const value of node.values) if (typeof value === 'string') walk.segments.add(value);
  }
  if ((node.operator === 'before' || node.operator === 'after') && node.attribute === 'currentTime') walk.usesCurrentTime = true;
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
