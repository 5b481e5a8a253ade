import { LIMITS } from './limits';
import { here, indexPath, isRecord, keyPath, typeName, type ProblemSink } from './problem-sink';

/**
 * Checks that a value is plain JSON (no undefined, functions, NaN/Infinity or class instances)
 * within depth and size bounds. Stops at the first problem: one broken JSON value is one problem.
 */
export function validateJsonValue(value: unknown, path: string, sink: ProblemSink): void {
  const budget = { nodes: 0 };
  const problem = jsonProblem(value, path, 0, budget);
  if (problem !== undefined) sink.push(problem);
}

function jsonProblem(value: unknown, path: string, depth: number, budget: { nodes: number }): { path: string; problem: string } | undefined {
  if (++budget.nodes > LIMITS.maxJsonNodes) return { path: here(path), problem: `JSON value has more than ${LIMITS.maxJsonNodes} nodes` };
  if (depth > LIMITS.maxJsonDepth) return { path: here(path), problem: `JSON value nested deeper than ${LIMITS.maxJsonDepth}` };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path: here(path), problem: 'numbers must be finite' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], indexPath(path, i), depth + 1, budget);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (isRecord(value) && isPlainPrototype(value)) {
    for (const [key, child] of Object.entries(value)) {
      const problem = jsonProblem(child, keyPath(path, key), depth + 1, budget);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return { path: here(path), problem: `not a JSON value (${typeName(value)})` };
}

function isPlainPrototype(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
