import type { EvaluationContext } from '../model/context.types';
import type { Rollout, Serve } from '../model/flag.types';
import type { EvaluationResult } from '../model/result.types';
import { Bucketer } from './bucketing.compile';
import { Interner } from './interner';
import { fixedResult, splitResults } from './results';
import type { VariantTable } from './variant-table';

/** A compiled serve: the precomputed result of a fixed variant, or a rollout to run. */
export type CompiledServe = EvaluationResult | RolloutServe;

/** The result of a compiled serve for a context. */
export function serveFor(serve: CompiledServe, context: EvaluationContext): EvaluationResult {
  return serve instanceof RolloutServe ? serve.serve(context) : serve;
}

/**
 * Compiles a serve. A fixed variant gets `fixedReason` (TARGETING_MATCH for rules, DEFAULT for the
 * fallthrough); a rollout always reports SPLIT.
 */
export function compileServe(
  serve: Serve,
  variants: VariantTable,
  fixedReason: 'TARGETING_MATCH' | 'DEFAULT',
  defaultSalt: string,
  ruleId?: string,
): CompiledServe {
  // A plain result rather than a closure returning it: one object less per rule, thousands of flags.
  if ('variant' in serve) return fixedResult(variants.value(serve.variant), serve.variant, fixedReason, ruleId);
  return compileRollout(serve.rollout, variants, defaultSalt, ruleId);
}

function compileRollout(rollout: Rollout, variants: VariantTable, defaultSalt: string, ruleId?: string): RolloutServe {
  if (rollout.variants.length === 0) throw new Error('a rollout needs variants');
  const results = splitResults(
    rollout.variants.map(({ variant }) => ({ variant, value: variants.value(variant) })),
    ruleId,
  );
  const weights = rollout.variants.map(({ weight }) => weight);
  return new RolloutServe(rollout, defaultSalt, cumulativeLists.intern(JSON.stringify(weights), () => cumulativeSums(weights)), results);
}

// Weight lists repeat across flags (10/90, 50/50…): one array of cumulative weights for each. Not
// frozen: V8 reads frozen arrays through a slower elements kind (measured on S2/S4).
const cumulativeLists = new Interner<readonly number[]>(1024);

function cumulativeSums(weights: readonly number[]): readonly number[] {
  let total = 0;
  return weights.map((weight) => (total += weight));
}

/**
 * A rollout: the variant whose cumulative weight first exceeds the context's bucket. It is its own
 * Bucketer (one object per rollout, and the bucketing inlines into `serve`).
 */
export class RolloutServe extends Bucketer {
  constructor(
    rollout: Rollout,
    defaultSalt: string,
    private readonly cumulative: readonly number[],
    private readonly results: readonly EvaluationResult[],
  ) {
    super(rollout, defaultSalt);
    Object.freeze(this);
  }

  serve(context: EvaluationContext): EvaluationResult {
    // No usable bucketBy attribute: bucket 0, i.e. the first variant with a non-zero weight.
    const bucket = this.bucketOf(context) ?? 0;
    const { cumulative, results } = this;
    const last = results.length - 1;
    for (let i = 0; i < last; i++) if (cumulative[i] > bucket) return results[i];
    // Validation guarantees the weights sum to the modulus, so the last variant covers the rest.
    return results[last];
  }
}
