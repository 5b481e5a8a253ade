import { flagAsOf, flagHistory, readModelDataSource } from '@flagpole/read-model';
import type { EntityManager } from 'typeorm';
// mulberry32, seeded: every run asks the same questions of the same log.
import { prng } from '../../../libs/read-model/test/support/history-commands';

export interface QueryKindResult {
  readonly label: string;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Mean events folded (as-of) or rows returned (history) per call. */
  readonly rowsMean: number;
}

export interface QueryResults {
  readonly queries: number;
  readonly warmup: number;
  readonly flags: number;
  readonly headSequence: number;
  readonly postgres: string;
  readonly kinds: readonly QueryKindResult[];
  readonly plans: readonly { readonly label: string; readonly plan: string }[];
}

interface Kind {
  readonly label: string;
  /** Runs one query; returns the rows it folded or returned. */
  readonly call: (manager: EntityManager, random: () => number) => Promise<number>;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/**
 * Times the compliance queries on the live read model of `databaseUrl` (schema read_model): the
 * library functions the control plane's routes call, on one connection, one call at a time.
 */
export async function queryBenchmark(databaseUrl: string, queries: number, log: (message: string) => void): Promise<QueryResults> {
  const dataSource = readModelDataSource(databaseUrl, { poolSize: 1, applicationName: 'flagpole-bench-queries' });
  await dataSource.initialize();
  try {
    const manager = dataSource.manager;
    const keys = ((await manager.query(`SELECT substr(aggregate_id, 6) AS key FROM projection_position WHERE aggregate_type = 'flag' ORDER BY aggregate_id`)) as { key: string }[]).map((r) => r.key);
    const [bounds] = (await manager.query('SELECT min(time) AS first, max(time) AS last, max(sequence) AS head FROM audit_trail')) as { first: Date; last: Date; head: string }[];
    const [{ version: postgres }] = (await manager.query('SELECT version()')) as { version: string }[];
    const head = Number(bounds!.head);
    const first = bounds!.first.getTime();
    const span = bounds!.last.getTime() - first;
    const pickKey = (random: () => number) => keys[Math.floor(random() * keys.length)]!;
    const kinds: Kind[] = [
      {
        label: 'as-of one flag, by sequence (`flagAsOf(m, key, { sequence })`)',
        call: async (m, random) => (await flagAsOf(m, pickKey(random), { sequence: 1 + Math.floor(random() * head) }))?.version ?? 0,
      },
      {
        label: 'as-of one flag, by time (`flagAsOf(m, key, { time })`)',
        call: async (m, random) => (await flagAsOf(m, pickKey(random), { time: new Date(first + Math.floor(random() * span)).toISOString() }))?.version ?? 0,
      },
      {
        label: 'as-of one flag, now (`flagAsOf(m, key)`)',
        call: async (m, random) => (await flagAsOf(m, pickKey(random)))?.version ?? 0,
      },
      {
        label: 'flag history, first page of 50, oldest first (`flagHistory(m, key)`)',
        call: async (m, random) => (await flagHistory(m, pickKey(random)))?.items.length ?? 0,
      },
      {
        label: 'flag history, first page of 50, newest first',
        call: async (m, random) => (await flagHistory(m, pickKey(random), undefined, 50, { order: 'desc' }))?.items.length ?? 0,
      },
    ];
    const warmup = Math.min(100, Math.max(10, Math.floor(queries / 10)));
    const results: QueryKindResult[] = [];
    for (const [i, kind] of kinds.entries()) {
      const random = prng(1000 + i);
      for (let w = 0; w < warmup; w++) await kind.call(manager, random);
      const times: number[] = [];
      let rows = 0;
      for (let q = 0; q < queries; q++) {
        const started = performance.now();
        rows += await kind.call(manager, random);
        times.push(performance.now() - started);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const result = {
        label: kind.label,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1] ?? 0,
        mean: times.reduce((a, b) => a + b, 0) / times.length,
        rowsMean: rows / queries,
      };
      results.push(result);
      log(`${kind.label}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, max ${result.max.toFixed(1)} ms (${result.rowsMean.toFixed(0)} rows per call)`);
    }
    const sample = keys[Math.floor(keys.length / 2)]!;
    const explain = async (label: string, sql: string, parameters: unknown[]) => {
      const rows = (await manager.query(`EXPLAIN ${sql}`, parameters)) as { 'QUERY PLAN': string }[];
      return { label, plan: rows.map((r) => r['QUERY PLAN'].trim()).join(' → ') };
    };
    const plans = [
      await explain('as-of events of one flag', 'SELECT payload FROM audit_trail WHERE aggregate_id = $1 AND sequence <= $2 ORDER BY version', [`flag:${sample}`, Math.floor(head / 2)]),
      await explain(
        'time → sequence',
        'SELECT sequence, time FROM audit_trail WHERE time <= $1 AND sequence <= $2 ORDER BY time DESC, sequence DESC LIMIT 1',
        [new Date(first + span / 2).toISOString(), head],
      ),
      await explain('history page (the query builder\'s SQL, simplified)', 'SELECT * FROM audit_trail a WHERE TRUE AND a.aggregate_id = $1 ORDER BY a.sequence ASC LIMIT 51', [`flag:${sample}`]),
      await explain('history page, newest first', 'SELECT * FROM audit_trail a WHERE TRUE AND a.aggregate_id = $1 ORDER BY a.sequence DESC LIMIT 51', [`flag:${sample}`]),
    ];
    return { queries, warmup, flags: keys.length, headSequence: head, postgres: postgres.split(' on ')[0] ?? postgres, kinds: results, plans };
  } finally {
    await dataSource.destroy();
  }
}
