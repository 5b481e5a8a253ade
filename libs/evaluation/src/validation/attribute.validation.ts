import { LIMITS } from './limits';
import { here, typeName, type ProblemSink } from './problem-sink';

/** An attribute path: non-empty dot-separated segments, none empty (`user..id` is refused). */
export function checkAttributePath(value: unknown, path: string, sink: ProblemSink): value is string {
  if (typeof value !== 'string') {
    sink.push({ path: here(path), problem: `attribute must be a string, not ${typeName(value)}` });
    return false;
  }
  if (value.length === 0 || value.length > LIMITS.maxAttributeLength) {
    sink.push({ path: here(path), problem: `attribute must have 1 to ${LIMITS.maxAttributeLength} characters` });
    return false;
  }
  const segments = value.split('.');
  if (segments.some((s) => s.length === 0)) {
    sink.push({ path: here(path), problem: 'attribute path has an empty segment' });
    return false;
  }
  if (segments.length > LIMITS.maxAttributeSegments) {
    sink.push({ path: here(path), problem: `attribute path has more than ${LIMITS.maxAttributeSegments} segments` });
    return false;
  }
  return true;
}
