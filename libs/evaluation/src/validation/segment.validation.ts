import { checkAttributePath } from './attribute.validation';
import { validateCondition } from './condition.validation';
import { checkStringList } from './environment.validation';
import { SEGMENT_KEY } from './keys';
import { LIMITS } from './limits';
import { checkObject, checkPattern, keyPath, type ProblemSink } from './problem-sink';
import type { Problem } from './problem.types';
import type { ValidationScope } from './scope.types';

/**
 * Validates a segment definition. Segment conditions may not use the `segment` operator, which
 * keeps membership non-recursive.
 */
export function validateSegment(input: unknown): Problem[] {
  const sink: ProblemSink = [];
  if (!checkObject(input, '', sink, ['key'], ['included', 'excluded', 'attribute', 'condition'])) return sink;
  if (input.key !== undefined) checkPattern(input.key, 'key', sink, SEGMENT_KEY, 'segment key');
  if (input.included !== undefined) checkStringList(input.included, 'included', LIMITS.maxSegmentValues, sink);
  if (input.excluded !== undefined) checkStringList(input.excluded, 'excluded', LIMITS.maxSegmentValues, sink);
  if (input.attribute !== undefined) checkAttributePath(input.attribute, 'attribute', sink);
  if (input.condition !== undefined) {
    const scope: ValidationScope = {
      variants: undefined,
      segmentExists: undefined,
      inSegment: true,
      budget: { nodes: 0, reported: false },
    };
    validateCondition(input.condition, keyPath('', 'condition'), 1, scope, sink);
  }
  return sink;
}
