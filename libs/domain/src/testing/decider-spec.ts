/**
 * Test support for the deciders (not exported from index.ts): given past events, when a command
 * arrives, then exactly these events are decided or exactly this DomainError is thrown.
 *
 *   flag.given([created]).when(toggle(...)).then([{ type: 'FlagToggled', data: { ... } }]);
 *   flag.given([]).withContext({ environments: ['production'] }).when(cmd).thenThrows({ code: 'not_found' });
 *
 * Assertions use node:assert rather than jest's global `expect` so this file also compiles in the
 * production build (tsconfig.build.json includes libs/*\/src without jest types).
 */
import { deepStrictEqual, fail, ok } from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FlagpoleCommand } from '../commands';
import { decide } from '../decide';
import type { EventEnvelope } from '../events/event-envelope.types';
import { stampEvents } from '../events/stamp-events';
import type { CommandMetadata } from '../shared/command-metadata.types';
import type { DecisionContext, PrerequisiteUse } from '../shared/decider.types';
import { DomainError, type DomainErrorCode } from '../shared/domain-error';
import type { FlagpoleState } from '../state/flagpole-state';

/** The fixed "now" of every command built by `meta()`. */
export const NOW = '2025-01-15T10:00:00.000Z';

export const ACTOR = { id: 'user-ada', name: 'Ada Lovelace' } as const;

/** A well-formed token secret hash: SHA-256 of "fp_test_secret", hex. */
export const SHA256_OF_SECRET = createHash('sha256').update('fp_test_secret').digest('hex');

/** Command metadata with fixed time, actor and correlation id; override what a test is about. */
export function meta(overrides: Partial<CommandMetadata> = {}): CommandMetadata {
  return { actor: ACTOR, now: NOW, correlationId: 'corr-1', ...overrides };
}

type CommandOf<T extends FlagpoleCommand['type']> = Extract<FlagpoleCommand, { readonly type: T }>;

/** Builds any command with `meta()` defaults: `command('ToggleFlag', { key, environment, on: true })`. */
export function command<T extends FlagpoleCommand['type']>(
  type: T,
  data: CommandOf<T>['data'],
  metaOverrides: Partial<CommandMetadata> = {},
): CommandOf<T> {
  return { type, data, meta: meta(metaOverrides) } as CommandOf<T>;
}

/** Plain facts a DecisionContext answers from; everything not given is empty. */
export interface ContextFacts {
  /** Existing environments. Default: production and staging. */
  readonly environments?: readonly string[];
  /** Active flags other than the one under test: key → variant names. */
  readonly flags?: Readonly<Record<string, readonly string[]>>;
  /** environment → existing segment keys. */
  readonly segments?: Readonly<Record<string, readonly string[]>>;
  /** `<environment>/<segment>` → keys of active flags whose configuration uses it. */
  readonly segmentUsers?: Readonly<Record<string, readonly string[]>>;
  /** environment → (flag key → its prerequisite flag keys) for active flags. */
  readonly prerequisiteUses?: Readonly<Record<string, readonly PrerequisiteUse[]>>;
  readonly prerequisiteEdges?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** flag key → active flags naming it as a prerequisite. */
  readonly dependents?: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_ENVIRONMENTS: readonly string[] = ['production', 'staging'];

/** A DecisionContext answering from plain data, with sensible defaults. */
export function contextOf(facts: ContextFacts = {}): DecisionContext {
  const environments = facts.environments ?? DEFAULT_ENVIRONMENTS;
  const flags = facts.flags ?? {};
  return {
    environmentExists: (key) => environments.includes(key),
    environmentKeys: () => environments,
    flagExists: (key) => Object.hasOwn(flags, key),
    flagVariantNames: (key) => (Object.hasOwn(flags, key) ? flags[key] : undefined),
    segmentExists: (environment, key) => (facts.segments?.[environment] ?? []).includes(key),
    flagsUsingSegment: (environment, segmentKey) => facts.segmentUsers?.[`${environment}/${segmentKey}`] ?? [],
    prerequisiteEdges: (environment) => new Map(Object.entries(facts.prerequisiteEdges?.[environment] ?? {})),
    flagsDependingOn: (flagKey) => facts.dependents?.[flagKey] ?? [],
    prerequisiteUses: (flagKey) => facts.prerequisiteUses?.[flagKey] ?? [],
  };
}

/** A decider as the spec drives it; deciders without a context simply ignore the third argument. */
export interface SpecDecider<C, E, S> {
  readonly decide: (command: C, state: S, ctx: DecisionContext) => readonly E[];
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
}

/** A problem the error must report; `problem` omitted → only the field is compared. */
export interface ExpectedProblem {
  readonly field: string;
  readonly problem?: string | RegExp;
}

export interface ExpectedError {
  readonly code: DomainErrorCode;
  /** When given, the exact list of problems in order. */
  readonly problems?: readonly ExpectedProblem[];
  readonly currentVersion?: number;
}

export interface When<E, S> {
  /** Asserts the decided events are exactly `expected`; returns the state after them. */
  then(expected: readonly E[]): S;
  /** Asserts the command is refused with this DomainError; returns it. */
  thenThrows(expected: ExpectedError): DomainError;
}

export interface Given<C, E, S> {
  readonly state: S;
  withContext(facts: ContextFacts | DecisionContext): Given<C, E, S>;
  when(command: C): When<E, S>;
}

export interface DeciderSpec<C, E, S> {
  given(events?: readonly E[]): Given<C, E, S>;
}

export function deciderSpec<C, E, S>(decider: SpecDecider<C, E, S>): DeciderSpec<C, E, S> {
  const givenWith = (state: S, ctx: DecisionContext): Given<C, E, S> => ({
    state,
    withContext: (facts) => givenWith(state, isDecisionContext(facts) ? facts : contextOf(facts)),
    when: (cmd) => ({
      then(expected) {
        const events = decider.decide(cmd, state, ctx);
        deepStrictEqual(events, expected);
        return events.reduce(decider.evolve, state);
      },
      thenThrows(expected) {
        let events: readonly E[];
        try {
          events = decider.decide(cmd, state, ctx);
        } catch (error) {
          return expectDomainError(error, expected);
        }
        return fail(`expected DomainError ${expected.code} but the command decided ${JSON.stringify(events)}`);
      },
    }),
  });
  // Frozen, so a decider that mutated its state (instead of deciding events) would throw.
  return { given: (events = []) => givenWith(deepFreeze(events.reduce(decider.evolve, decider.initialState)), contextOf()) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isDecisionContext(value: ContextFacts | DecisionContext): value is DecisionContext {
  return typeof (value as Partial<DecisionContext>).environmentExists === 'function';
}

/** Asserts `error` is a DomainError matching `expected` (problems exactly, in order). */
export function expectDomainError(error: unknown, expected: ExpectedError): DomainError {
  ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
  const actual: { code: DomainErrorCode; problems?: readonly ExpectedProblem[]; currentVersion?: number } = { code: error.code };
  if (expected.problems !== undefined) {
    actual.problems = error.problems.map((p, i) => {
      const wanted = expected.problems?.[i];
      if (wanted === undefined) return p;
      if (wanted.problem === undefined) return { field: p.field };
      if (wanted.problem instanceof RegExp) return { field: p.field, problem: wanted.problem.test(p.problem) ? wanted.problem : p.problem };
      return p;
    });
  }
  if (expected.currentVersion !== undefined) actual.currentVersion = error.currentVersion;
  const wanted: { code: DomainErrorCode; problems?: readonly ExpectedProblem[]; currentVersion?: number } = { code: expected.code };
  if (expected.problems !== undefined) wanted.problems = expected.problems.map(withoutUndefined);
  if (expected.currentVersion !== undefined) wanted.currentVersion = expected.currentVersion;
  deepStrictEqual(actual, wanted);
  return error;
}

function withoutUndefined(p: ExpectedProblem): ExpectedProblem {
  return p.problem === undefined ? { field: p.field } : p;
}

/** Runs `fn`, asserting it throws a DomainError matching `expected`. */
export function expectRefusal(fn: () => unknown, expected: ExpectedError): DomainError {
  try {
    fn();
  } catch (error) {
    return expectDomainError(error, expected);
  }
  return fail(`expected DomainError ${expected.code} but nothing was thrown`);
}

/**
 * The writer's path in miniature: decide over the whole state, stamp the events onto the chain
 * (ids `evt-<sequence>`), apply them. Returns the envelopes.
 */
export function execute(state: FlagpoleState, cmd: FlagpoleCommand): EventEnvelope[] {
  const decision = decide(cmd, state);
  let next = state.lastSequence;
  const envelopes = stampEvents(decision, cmd.meta, { lastSequence: state.lastSequence, lastHash: state.lastHash }, () => `evt-${++next}`);
  for (const envelope of envelopes) state.apply(envelope);
  return envelopes;
}
