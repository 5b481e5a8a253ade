import type { CommandMetadata } from './command-metadata.types';

/** A command as it reaches a decider: what to do, its payload, and who/when/why. */
export interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
  readonly meta: CommandMetadata;
}

/** A fact, before the writer stamps it with id, version, sequence and hash. */
export interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * Read-only facts about *other* aggregates that a decision needs (does the environment exist,
 * which flags use a segment). The writer answers them from its in-memory state; tests from
 * a plain object. Keeping them behind this interface keeps every decider a pure function.
 */
export interface PrerequisiteUse {
  readonly flag: string;
  readonly environment: string;
  readonly variants: readonly string[];
}

export interface DecisionContext {
  environmentExists(key: string): boolean;
  environmentKeys(): readonly string[];
  /** Active (not archived) flag exists. */
  flagExists(key: string): boolean;
  flagVariantNames(key: string): readonly string[] | undefined;
  segmentExists(environment: string, key: string): boolean;
  /** Active flags whose configuration in `environment` references the segment. */
  flagsUsingSegment(environment: string, segmentKey: string): readonly string[];
  /** flag key → keys of its prerequisites in `environment`, for active flags. */
  prerequisiteEdges(environment: string): ReadonlyMap<string, readonly string[]>;
  /** Active flags that name `flagKey` as a prerequisite in any environment. */
  flagsDependingOn(flagKey: string): readonly string[];
  /** Where active flags name `flagKey` as a prerequisite, and which of its variants they need. */
  prerequisiteUses(flagKey: string): readonly PrerequisiteUse[];
}
