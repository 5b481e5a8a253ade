import {
  decide,
  FlagpoleState,
  stampEvents,
  type CommandMetadata,
  type EventEnvelope,
  type FlagpoleCommand,
} from '@flagpole/domain';
import { historyCommands, historyIds, HISTORY_ACTORS, prng } from './history-commands';

export interface HistoryOptions {
  readonly seed?: number;
  readonly flags?: number;
  readonly environments?: readonly string[];
}

/**
 * A realistic history of at least `count` events decided by the domain's own deciders and
 * stamped with the writer's sequence and hash chain — exactly what the writer would have put in
 * the log, without HTTP in between. Environments, tokens and segments first, then flags created
 * and reconfigured, toggled, renamed, archived and restored at random.
 */
export function generateHistory(count: number, options: HistoryOptions = {}): EventEnvelope[] {
  const random = prng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const environments = options.environments ?? ['production', 'staging', 'development'];
  const flagCount = options.flags ?? Math.max(10, Math.min(2000, Math.floor(count / 20)));
  const state = FlagpoleState.empty();
  const events: EventEnvelope[] = [];
  const newId = historyIds(options.seed ?? 42);
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  let commands = 0;
  for (const { command, reason } of historyCommands(random, { environments, flagCount, done: () => events.length >= count })) {
    clock += 1000 + Math.floor(random() * 60_000);
    const meta: CommandMetadata = { actor: pick(HISTORY_ACTORS), now: new Date(clock).toISOString(), correlationId: `corr-${commands++}`, ...(reason ? { reason } : {}) };
    let decision;
    try {
      decision = decide({ ...command, meta } as FlagpoleCommand, state);
    } catch {
      continue; // a command the domain refuses writes nothing, as over HTTP
    }
    for (const event of stampEvents(decision, meta, state, newId)) {
      state.apply(event);
      events.push(event);
    }
  }
  return events;
}
