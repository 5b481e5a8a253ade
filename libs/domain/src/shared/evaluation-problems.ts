import type { Problem } from './problem.types';

/** The evaluation library reports `path`; the API reports `field`. One mapping, one place. */
export function fromEvaluationProblems(
  problems: readonly { readonly path: string; readonly problem: string }[],
  prefix: string,
): Problem[] {
  return problems.map((p) => ({ field: joinPath(prefix, p.path), problem: p.problem }));
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  // The evaluation library names the root it was given "$"; here that root is the prefix.
  if (!path || path === '$') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
