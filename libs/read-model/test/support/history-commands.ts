import { createHash } from 'node:crypto';
import type { Actor, FlagpoleCommand } from '@flagpole/domain';

/** mulberry32: a tiny seeded PRNG, so a generated history is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const HISTORY_ACTORS: readonly Actor[] = [
  { id: 'token:ada', name: 'Ada Lovelace', tokenId: 'ada' },
  { id: 'token:grace', name: 'Grace Hopper', tokenId: 'grace' },
  { id: 'token:ci', name: 'ci' },
];

/** A command of a generated history, without its metadata (the caller stamps time and actor). */
export interface HistoryCommand {
  readonly command: Omit<FlagpoleCommand, 'meta'>;
  readonly reason?: string;
}

/** Deterministic event ids in UUID shape, so a seeded history is byte-for-byte repeatable. */
export function historyIds(seed: number): () => string {
  let ids = 0;
  return () => {
    const hex = createHash('sha256').update(`event-${seed}-${++ids}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}

/**
 * The command mix of every generated history (the projector's tests and the rebuild benchmark):
 * environments, a token and segments first, then flags created and reconfigured, toggled,
 * re-tagged, archived and restored at random, until `done()` says enough. Draws from `random`
 * in a fixed order, interleaved with the caller's own draws between commands.
 */
export function* historyCommands(random: () => number, options: { readonly environments: readonly string[]; readonly flagCount: number; readonly done: () => boolean }): Generator<HistoryCommand> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { environments, flagCount } = options;
  for (const key of environments) yield { command: { type: 'CreateEnvironment', data: { key, name: key[0]!.toUpperCase() + key.slice(1), production: key === 'production' } } };
  yield { command: { type: 'IssueToken', data: { tokenId: 'ci', secretHash: createHash('sha256').update('ci').digest('hex'), name: 'ci', role: 'editor', environments: ['staging'] } } };
  for (const env of environments) {
    yield { command: { type: 'CreateSegment', data: { environment: env, key: 'beta', name: 'Beta testers', rules: { included: ['u1', 'u2'], attribute: 'userId' } } } };
  }
  const flags: string[] = [];
  while (!options.done()) {
    const roll = random();
    if (flags.length < flagCount && (flags.length < 5 || roll < 0.15)) {
      const key = `flag-${flags.length}`;
      flags.push(key);
      yield { command: { type: 'CreateFlag', data: { key, name: `Flag ${flags.length}`, kind: pick(['release', 'experiment', 'operational']), tags: [pick(['checkout', 'search', 'growth'])] } }, reason: `JIRA-${flags.length}` };
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
      yield { command: { type: 'ConfigureFlagEnvironment', data: { key, environment: env, config } } };
    } else if (roll < 0.75) {
      const on = random() < 0.5;
      yield { command: { type: 'ToggleFlag', data: { key, environment: env, on } }, ...(random() < 0.3 ? { reason: 'incident' } : {}) };
    } else if (roll < 0.85) {
      yield { command: { type: 'UpdateFlagMetadata', data: { key, owner: pick(['team-a', 'team-b']), tags: [pick(['checkout', 'search', 'growth']), pick(['q1', 'q2'])] } } };
    } else if (roll < 0.9) {
      yield { command: { type: 'ArchiveFlag', data: { key } }, reason: 'rolled out' };
    } else if (roll < 0.95) {
      yield { command: { type: 'RestoreFlag', data: { key } } };
    } else {
      yield { command: { type: 'UpdateSegment', data: { environment: env, key: 'beta', name: 'Beta testers', rules: { included: ['u1', 'u2', `u${Math.floor(random() * 100)}`], attribute: 'userId' } } } };
    }
  }
}
