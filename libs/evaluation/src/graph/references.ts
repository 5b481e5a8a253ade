import type { Condition, FlagEnvironmentConfig } from '../model/flag.types';
import { asClause, conditionKind } from '../model/condition-kind';

/**
 * Segment keys a configuration's rules reference, each once, in order of first appearance. The
 * command side uses it to refuse deleting a segment still in use.
 */
export function referencedSegments(config: FlagEnvironmentConfig): string[] {
  const found = new Set<string>();
  // Depth-first with an explicit stack, children pushed in reverse so the order is the source order.
  const stack: Condition[] = (config.rules ?? []).map((rule) => rule.condition).reverse();
  while (stack.length > 0) {
    const condition = stack.pop() as Condition;
    for (const child of childrenOf(condition).slice().reverse()) stack.push(child);
    if (conditionKind(condition) !== 'clause') continue;
    const clause = asClause(condition);
    if (clause.operator !== 'segment') continue;
    for (const value of clause.values) if (typeof value === 'string') found.add(value);
  }
  return [...found];
}

function childrenOf(condition: Condition): readonly Condition[] {
  const kind = conditionKind(condition);
  switch (kind) {
    case 'all':
      return (condition as { all: readonly Condition[] }).all;
    case 'any':
      return (condition as { any: readonly Condition[] }).any;
    case 'not':
      return [(condition as { not: Condition }).not];
    case 'percentage':
    case 'clause':
      return [];
    default: {
      const exhaustive: never = kind;
      throw new Error(`unknown condition kind ${String(exhaustive)}`);
    }
  }
}

/**
 * Finds a cycle in a prerequisite graph (flag key → keys of its prerequisite flags) and returns it
 * as a path that starts and ends with the same key (`['a', 'b', 'a']`), or undefined when there is
 * none. Deterministic: flags and edges are explored in map and list order.
 */
export function findPrerequisiteCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  for (const start of edges.keys()) {
    if (done.has(start)) continue;
    const cycle = searchFrom(start, edges, done);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

// Iterative DFS: a long prerequisite chain must not overflow the call stack.
function searchFrom(start: string, edges: ReadonlyMap<string, readonly string[]>, done: Set<string>): string[] | undefined {
  const path: string[] = [start];
  const onPath = new Set<string>([start]);
  const cursor: number[] = [0];
  while (path.length > 0) {
    const node = path[path.length - 1];
    const next = (edges.get(node) ?? [])[cursor[cursor.length - 1]++];
    if (next === undefined) {
      done.add(node);
      onPath.delete(node);
      path.pop();
      cursor.pop();
    } else if (onPath.has(next)) {
      return [...path.slice(path.indexOf(next)), next];
    } else if (!done.has(next)) {
      path.push(next);
      onPath.add(next);
      cursor.push(0);
    }
  }
  return undefined;
}
