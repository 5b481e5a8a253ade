import type { EvaluationContext } from '../model/context.types';
import type { FlagType } from '../model/flag.types';
import type { EvaluationResult } from '../model/result.types';
import type { AttributeReader } from './attribute.compile';
import type { CompiledFlag, FlagStore, Predicate } from './compiled.types';
import { serveFor, type CompiledServe, type RolloutServe } from './serve.compile';

/*
 * Compiled flags by shape. A flag is one small object whose `run` is a method of its class, not a
 * closure of its own: with thousands of flags in an SDK, every closure, context and array per flag
 * counts — in heap, and in cache misses when flags are evaluated at random (each object an
 * evaluation touches is a likely miss). The parts a flag points to (results, predicates) are
 * shared with other flags where identical (see `Interner`).
 *
 * Four shapes cover flags from the simplest to the general one; keeping it to four keeps the
 * call `flag.run(…)` polymorphic rather than megamorphic.
 */

/** Checks prerequisites: the result to serve when one fails, or undefined when all hold. @internal */
export type PrerequisiteCheck = (
  context: EvaluationContext,
  store: FlagStore,
  now: number | undefined,
  chain: string[] | undefined,
) => EvaluationResult | undefined;

/** An individual target: contexts whose attribute is one of `values` get `result`. @internal */
export interface CompiledTarget {
  readonly read: AttributeReader;
  readonly values: ReadonlySet<string>;
  readonly result: EvaluationResult;
}

/** A rule: when `holds`, serve `serve`. @internal */
export interface CompiledRule {
  readonly holds: Predicate;
  readonly serve: CompiledServe;
}

abstract class FlagBase implements CompiledFlag {
  constructor(
    readonly key: string,
    readonly type: FlagType,
    readonly environment: string,
    readonly on: boolean,
  ) {}

  abstract run(context: EvaluationContext, store: FlagStore, now: number | undefined, chain: string[] | undefined): EvaluationResult;
}

/** Always the same answer: a flag that is off, on for everyone with a fixed variant, or broken. */
export class FixedFlag extends FlagBase {
  constructor(key: string, type: FlagType, environment: string, on: boolean, private readonly result: EvaluationResult) {
    super(key, type, environment, on);
    Object.freeze(this);
  }

  run(): EvaluationResult {
    return this.result;
  }
}

/** On, with neither prerequisites, targets nor rules, and a rollout as fallthrough. */
export class RolloutFlag extends FlagBase {
  constructor(key: string, type: FlagType, environment: string, private readonly fallthrough: RolloutServe) {
    super(key, type, environment, true);
    Object.freeze(this);
  }

  run(context: EvaluationContext): EvaluationResult {
    return this.fallthrough.serve(context);
  }
}

/** On, with exactly one rule and neither prerequisites nor targets: the common gated feature. */
export class OneRuleFlag extends FlagBase {
  constructor(
    key: string,
    type: FlagType,
    environment: string,
    private readonly holds: Predicate,
    private readonly serve: CompiledServe,
    private readonly fallthrough: CompiledServe,
  ) {
    super(key, type, environment, true);
    Object.freeze(this);
  }

  run(context: EvaluationContext, store: FlagStore, now: number | undefined): EvaluationResult {
    return serveFor(this.holds(context, store, now) ? this.serve : this.fallthrough, context);
  }
}

/** On, in general: prerequisites, then targets, then rules in order, then the fallthrough. */
export class SteppingFlag extends FlagBase {
  constructor(
    key: string,
    type: FlagType,
    environment: string,
    private readonly prerequisites: PrerequisiteCheck | undefined,
    private readonly targets: readonly CompiledTarget[],
    private readonly rules: readonly CompiledRule[],
    private readonly fallthrough: CompiledServe,
  ) {
    super(key, type, environment, true);
    Object.freeze(this);
  }

  run(context: EvaluationContext, store: FlagStore, now: number | undefined, chain: string[] | undefined): EvaluationResult {
    if (this.prerequisites !== undefined) {
      const failed = this.prerequisites(context, store, now, chain);
      if (failed !== undefined) return failed;
    }
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i];
      const value = target.read(context);
      if (typeof value === 'string' && target.values.has(value)) return target.result;
    }
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.holds(context, store, now)) return serveFor(rule.serve, context);
    }
    return serveFor(this.fallthrough, context);
  }
}
