import type { SegmentDefinition } from '../model/flag.types';
import { compileAttributeReader } from './attribute.compile';
import type { CompiledSegment, Predicate } from './compiled.types';
import { compileCondition } from './condition.compile';

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Compiles a segment: excluded wins, then included, then the condition (absent = not a member).
 * List membership compares string attribute values only.
 */
export function compileSegment(definition: SegmentDefinition): CompiledSegment {
  const read = compileAttributeReader(definition.attribute ?? 'targetingKey');
  const included = definition.included?.length ? new Set(definition.included) : EMPTY;
  const excluded = definition.excluded?.length ? new Set(definition.excluded) : EMPTY;
  const condition: Predicate | undefined =
    definition.condition === undefined
      ? undefined
      : compileCondition(definition.condition, { defaultSalt: definition.key, allowSegments: false });
  const contains: Predicate = (context, store, now) => {
    const value = read(context);
    if (typeof value === 'string') {
      if (excluded.has(value)) return false;
      if (included.has(value)) return true;
    }
    return condition !== undefined && condition(context, store, now);
  };
  return Object.freeze({ key: definition.key, contains });
}
