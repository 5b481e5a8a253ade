import {
  aggregateIds,
  decideEnvironment,
  decideFlag,
  decideSegment,
  decideToken,
  decisionContextOf,
  FlagpoleState,
  GENESIS_HASH,
  type CommandMetadata,
  type DecisionContext,
  type Decision,
  type EventEnvelope,
  type FlagpoleCommand,
} from '@flagpole/domain';
import { fastEventHash } from '@flagpole/read-model';
import { historyCommands, historyIds, HISTORY_ACTORS, prng } from '../../../libs/read-model/test/support/history-commands';

/**
 * The projector tests' history (same command mix, from libs/read-model/test/support/
 * history-commands.ts, and same shapes), made fit for a million events:
 *
 * - it streams (`chunks`), so neither the generator nor the publisher holds the whole log;
 * - deciders get a context whose prerequisite questions answer "none" without scanning every
 *   flag: this history never writes a prerequisite, so those answers are exact, and the domain's
 *   own context (a scan of all 2,000 flags per command) made generation take ~4.5 min per 1M;
 * - events are stamped like the writer's `stampEvents`, hashed with the fast RFC 8785
 *   canonicaliser (held equal to json-canonicalize by libs/read-model's tests). The rebuild checks
 *   every link with the domain's check as fallback, so a wrong hash could only make it refuse.
 *
 * Mix per command after set-up (3 environments, a token, a segment per environment): create a
 * flag (15 % while fewer than `flags` exist), configure one environment with up to three rules
 * and a percentage rollout (~30 %), toggle (~30 %), metadata (10 %), archive (5 %), restore (5 %),
 * segment update (5 %). Commands the domain refuses (e.g. toggling an archived flag) write nothing.
 */
export interface HistoryOptions {
  readonly seed?: number;
  readonly flags?: number;
  readonly environments?: readonly string[];
  /** Events per yielded chunk (one Kafka transaction; ~700 kB, under the broker's 1 MB message-batch limit per partition). */
  readonly chunk?: number;
  /** ISO time of the first event; commands follow 1 to 61 s apart. */
  readonly start?: string;
}

function benchContext(state: FlagpoleState): DecisionContext {
  const full = decisionContextOf(state);
  return { ...full, prerequisiteEdges: () => new Map(), prerequisiteUses: () => [], flagsDependingOn: () => [] };
}

/** decide() from libs/domain, routed the same way, with benchContext. */
function decideFast(command: FlagpoleCommand, state: FlagpoleState, ctx: DecisionContext): Decision {
  switch (command.type) {
    case 'CreateEnvironment': {
      const id = aggregateIds.environment(command.data.key);
      const current = state.environment(id);
      return { aggregateType: 'environment', aggregateId: id, baseVersion: current.version, events: decideEnvironment(command, current) };
    }
    case 'CreateSegment':
    case 'UpdateSegment':
    case 'DeleteSegment': {
      const id = aggregateIds.segment(command.data.environment, command.data.key);
      const current = state.segment(id);
      return { aggregateType: 'segment', aggregateId: id, baseVersion: current.version, events: decideSegment(command, current, ctx) };
    }
    case 'IssueToken':
    case 'RevokeToken': {
      const id = aggregateIds.token(command.data.tokenId);
      const current = state.token(id);
      return { aggregateType: 'token', aggregateId: id, baseVersion: current.version, events: decideToken(command, current, ctx) };
    }
    case 'CreateFlag':
    case 'UpdateFlagMetadata':
    case 'SetFlagVariants':
    case 'ConfigureFlagEnvironment':
    case 'ToggleFlag':
    case 'ArchiveFlag':
    case 'RestoreFlag': {
      const id = aggregateIds.flag(command.data.key);
      const current = state.flag(id);
      return { aggregateType: 'flag', aggregateId: id, baseVersion: current.version, events: decideFlag(command, current, ctx) };
    }
    default:
      throw new Error(`the benchmark history does not write ${command.type}`);
  }
}

/** Yields `count` events (at least; the last command may add one more) in chunks, in sequence order. */
export function* historyChunks(count: number, options: HistoryOptions = {}): Generator<EventEnvelope[]> {
  const seed = options.seed ?? 7;
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const environments = options.environments ?? ['production', 'staging', 'development'];
  const flagCount = options.flags ?? Math.max(10, Math.min(2000, Math.floor(count / 20)));
  const chunkSize = options.chunk ?? 1000;
  const state = FlagpoleState.empty();
  const ctx = benchContext(state);
  const newId = historyIds(seed);
  let chunk: EventEnvelope[] = [];
  let produced = 0;
  let sequence = 0;
  let commands = 0;
  let prevHash = GENESIS_HASH;
  let clock = Date.parse(options.start ?? '2025-01-01T00:00:00.000Z');
  for (const { command, reason } of historyCommands(random, { environments, flagCount, done: () => produced >= count })) {
    clock += 1000 + Math.floor(random() * 60_000);
    const meta: CommandMetadata = { actor: pick(HISTORY_ACTORS), now: new Date(clock).toISOString(), correlationId: `corr-${commands++}`, ...(reason ? { reason } : {}) };
    let decision: Decision;
    try {
      decision = decideFast({ ...command, meta } as FlagpoleCommand, state, ctx);
    } catch {
      continue; // a command the domain refuses writes nothing, as over HTTP
    }
    decision.events.forEach((event, i) => {
      sequence += 1;
      // Field for field what stampEvents writes.
      const unhashed = {
        id: newId(),
        type: event.type,
        aggregateType: decision.aggregateType,
        aggregateId: decision.aggregateId,
        version: decision.baseVersion + i + 1,
        time: meta.now,
        actor: meta.actor,
        reason: meta.reason ?? null,
        correlationId: meta.correlationId,
        changeRequestId: meta.changeRequestId ?? null,
        sequence,
        prevHash,
        data: event.data,
      };
      const hash = fastEventHash({ ...unhashed, hash: '' } as EventEnvelope);
      const stamped = { ...unhashed, hash } as EventEnvelope;
      prevHash = hash;
      state.apply(stamped);
      chunk.push(stamped);
      produced += 1;
    });
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
