import { firstValueFrom, filter, timeout, type Observable } from 'rxjs';
import type { ConfigurationChangeEvent, FlagChangeEvent, FlagEvaluator } from '@flagpole/sdk';

/** Resolves with the next `change` event matching `predicate` (rejects after `ms`). */
export function nextChange(
  client: FlagEvaluator,
  predicate: (event: ConfigurationChangeEvent) => boolean = () => true,
  ms = 15_000,
): Promise<ConfigurationChangeEvent> {
  return firstMatch(client.changes$, predicate, ms, 'change event');
}

/** Resolves with the next change of `flagKey` matching `predicate`. */
export function nextFlagChange(
  client: FlagEvaluator,
  flagKey: string,
  predicate: (event: FlagChangeEvent) => boolean = () => true,
  ms = 15_000,
): Promise<FlagChangeEvent> {
  return firstMatch(client.flagChanges$(flagKey), predicate, ms, `change of ${flagKey}`);
}

function firstMatch<T>(source: Observable<T>, predicate: (value: T) => boolean, ms: number, what: string): Promise<T> {
  return firstValueFrom(
    source.pipe(
      filter(predicate),
      timeout({ first: ms, with: () => Promise.reject(new Error(`no ${what} within ${ms} ms`)) }),
    ),
  );
}

/** Closes every client registered with it; for afterEach/afterAll. */
export class Clients {
  private readonly open: FlagEvaluator[] = [];

  add<T extends FlagEvaluator>(client: T): T {
    this.open.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    const clients = this.open.splice(0);
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Polls `check` until it holds (rejects after `ms`). */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
