import { createHash } from 'node:crypto';
import {
  decide,
  FlagpoleState,
  stampEvents,
  type CommandMetadata,
  type EventEnvelope,
  type FlagpoleCommand,
} from '@flagpole/domain';

/** mulberry32: a tiny seeded PRNG, so a generated history is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryOptions {
  readonly seed?: number;
  readonly flags?: number;
  readonly environments?: readonly string[];
}

const ACTORS = [
  { id: 'token:ada', name: 'Ada Lovelace', tokenId: 'ada' },
  { id: 'token:grace', name: 'Grace Hopper', tokenId: 'grace' },
  { id: 'token:ci', name: 'ci' },
];

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
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  let ids = 0;
  const newId = () => {
    const hex = createHash('sha256').update(`event-${options.seed ?? 42}-${++ids}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const run = (command: Omit<FlagpoleCommand, 'meta'>, reason?: string): void => {
    clock += 1000 + Math.floor(random() * 60_000);
    const meta: CommandMetadata = { actor: pick(ACTORS), now: new Date(clock).toISOString(), correlationId: `corr-${ids}`, ...(reason ? { reason } : {}) };
    const full = { ...command, meta } as FlagpoleCommand;
    let decision;
    try {
      decision = decide(full, state);
    } catch {
      return; // a command the domain refuses writes nothing, as over HTTP
    }
    for (const event of stampEvents(decision, meta, state, newId)) {
      state.apply(event);
      events.push(event);
    }
  };

  for (const key of environments) run({ type: 'CreateEnvironment', data: { key, name: key[0]!.toUpperCase() + key.slice(1), production: key === 'production' } });
  run({ type: 'IssueToken', data: { tokenId: 'ci', secretHash: createHash('sha256').update('ci').digest('hex'), name: 'ci', role: 'editor', environments: ['staging'] } });
  for (const env of environments) {
    run({ type: 'CreateSegment', data: { environment: env, key: 'beta', name: 'Beta testers', rules: { included: ['u1', 'u2'], attribute: 'userId' } } });
  }
  const flags: string[] = [];
  while (events.length < count) {
    const roll = random();
    if (flags.length < flagCount && (flags.length < 5 || roll < 0.15)) {
      const key = `flag-${flags.length}`;
      flags.push(key);
      run({ type: 'CreateFlag', data: { key, name: `Flag ${flags.length}`, kind: pick(['release', 'experiment', 'operational']), tags: [pick(['checkout', 'search', 'growth'])] } }, `JIRA-${flags.length}`);
      continue;
    }
    const key = pick(flags);
    const env = pick(environments);
    if (roll < 0.45) {
      const weight = Math.floor(random() * 100) * 1000;
      const rules = [
        { id: 'internal', condition: { attribute: 'email', operator: 'endsWith', values: ['@example.com'] }, serve: { variant: 'on' } },
        { id: 'beta', condition: { attribute: 'userId', operator: 'segment', values: ['beta'] }, serve: { variant: pick(['on', 'off']) } },
        { id: 'country', condition: { attribute: 'country', operator: 'in', values: [pick(['US', 'CA', 'DE', 'FR'])] }, serve: { variant: 'on' } },
      ].filter(() => random() < 0.7);
      const config = {
        on: random() < 0.6,
        offVariant: 'off',
        rules: random() < 0.5 ? rules : [...rules].reverse(),
        fallthrough: { rollout: { variants: [{ variant: 'on', weight }, { variant: 'off', weight: 100_000 - weight }] } },
      };
      run({ type: 'ConfigureFlagEnvironment', data: { key, environment: env, config } });
    } else if (roll < 0.75) {
      run({ type: 'ToggleFlag', data: { key, environment: env, on: random() < 0.5 } }, random() < 0.3 ? 'incident' : undefined);
    } else if (roll < 0.85) {
      run({ type: 'UpdateFlagMetadata', data: { key, owner: pick(['team-a', 'team-b']), tags: [pick(['checkout', 'search', 'growth']), pick(['q1', 'q2'])] } });
    } else if (roll < 0.9) {
      run({ type: 'ArchiveFlag', data: { key } }, 'rolled out');
    } else if (roll < 0.95) {
      run({ type: 'RestoreFlag', data: { key } });
    } else {
      run({ type: 'UpdateSegment', data: { environment: env, key: 'beta', name: 'Beta testers', rules: { included: ['u1', 'u2', `u${Math.floor(random() * 100)}`], attribute: 'userId' } } });
    }
  }
  return events;
}
