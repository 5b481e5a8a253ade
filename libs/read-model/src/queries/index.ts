/**
 * The query side over the read model: framework-free functions the control plane's query
 * handlers and the benchmarks call. Stable entry points for benchmarks:
 * `flagAsOf(manager, key, point)`, `environmentAsOf(manager, env, point)`,
 * `flagHistory(manager, key, cursor, limit)`, `auditQuery(manager, filter, page)`.
 */
export * from './query-point';
export * from './cursor';
export * from './scope';
export * from './audit-queries';
export * from './as-of';
export * from './diff-queries';
export * from './explain';
export * from './flag-queries';
export * from './export-format';
