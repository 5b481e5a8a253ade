import type { S5Flag, ScenarioId, User, Workload } from '../data';

export type Answer = boolean | string;

/** One engine, loaded with the benchmark flags, ready to be timed. */
export interface EngineAdapter {
  /** Answer of work item `i` of scenario `s` (correctness checks; not timed). */
  answer(s: ScenarioId, i: number): Answer | Promise<Answer>;
  /**
   * `reps` passes over every work item of scenario `s`, each evaluation through the engine's
   * public per-flag API, results folded into the returned number (the sink). Synchronous engines
   * return a number; asynchronous ones a promise (awaited once per evaluation inside the loop).
   */
  run(s: ScenarioId, reps: number): number | Promise<number>;
  close(): void | Promise<void>;
}

/** What the heap measurement keeps alive: the engine holding `count` S5-shaped flags. */
export interface HeapHandle {
  /**
   * Evaluates every given flag once for `probe` (engines may build caches lazily). The flags are
   * passed in, not kept by the handle, so that only what the engine itself retains is measured.
   */
  touch(flags: readonly S5Flag[], probe: User): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface EngineFactory {
  /** Short id used on the command line and in results.json. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** npm package whose version is reported. */
  readonly pkg: string;
  readonly isAsync: boolean;
  /** How the engine is driven, shown in results.md. */
  readonly api: string;
  create(w: Workload): Promise<EngineAdapter>;
  loadForHeap(flags: readonly S5Flag[]): Promise<HeapHandle>;
}
