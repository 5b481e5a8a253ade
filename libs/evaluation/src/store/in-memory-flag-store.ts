import type { CompiledFlag, CompiledSegment, FlagStore } from '../compile/compiled.types';
import { brokenFlag, compileFlag } from '../compile/flag.compile';
import { compileSegment } from '../compile/segment.compile';
import type { FlagDefinition, SegmentDefinition } from '../model/flag.types';
import type { Problem } from '../validation/problem.types';
import { validateFlagDefinition } from '../validation/flag.validation';
import { validateSegment } from '../validation/segment.validation';

/**
 * A mutable store of one environment's flags and segments, compiled when put. Definitions are
 * validated first: an invalid flag is kept as one that evaluates to ERROR / PARSE_ERROR (so callers
 * get their defaults, not a stale value), an invalid segment replaces the stored one by nothing (no member). Both return the problems.
 */
export class InMemoryFlagStore implements FlagStore {
  private readonly flags = new Map<string, CompiledFlag>();
  private readonly segments = new Map<string, CompiledSegment>();

  /** @param environment the environment whose configuration `putFlag` compiles. */
  constructor(readonly environment: string) {}

  /** The compiled flag with that key, if this environment has it. */
  getFlag(key: string): CompiledFlag | undefined {
    return this.flags.get(key);
  }

  /** The compiled segment with that key, if stored. */
  getSegment(key: string): CompiledSegment | undefined {
    return this.segments.get(key);
  }

  /** Compiles and stores a flag; a flag without configuration for this environment is removed. */
  putFlag(definition: FlagDefinition): readonly Problem[] {
    const problems = validateFlagDefinition(definition);
    const key = typeof definition?.key === 'string' ? definition.key : undefined;
    if (key === undefined) return problems;
    const compiled =
      problems.length === 0
        ? compileFlag(definition, this.environment)
        : brokenFlag(definition, this.environment, `invalid flag ${key}: ${problems[0].path} ${problems[0].problem}`);
    if (compiled === undefined) this.flags.delete(key);
    else this.flags.set(key, compiled);
    return problems;
  }

  /** Forgets a flag; returns whether it was stored. */
  removeFlag(key: string): boolean {
    return this.flags.delete(key);
  }

  /** Compiles and stores a segment; an invalid one is refused and its problems returned. */
  putSegment(definition: SegmentDefinition): readonly Problem[] {
    const problems = validateSegment(definition);
    if (problems.length === 0) this.segments.set(definition.key, compileSegment(definition));
    else if (typeof definition?.key === 'string') this.segments.delete(definition.key);
    return problems;
  }

  /** Forgets a segment; returns whether it was stored. */
  removeSegment(key: string): boolean {
    return this.segments.delete(key);
  }

  /** Keys of the stored flags, in insertion order. */
  flagKeys(): string[] {
    return [...this.flags.keys()];
  }

  /** Keys of the stored segments, in insertion order. */
  segmentKeys(): string[] {
    return [...this.segments.keys()];
  }
}
