/**
 * Flagpole rebuild benchmark (issue 5): how fast the whole log replays into fresh read-model
 * tables, and how fast the compliance queries answer once 1,000,000 events are projected.
 *
 *   bash bench/rebuild/run.sh [--events=N] [--runs=N] [--queries=N] [--quick] [--keep] [--prefix=P] [--out=DIR]
 *
 * 1. generates a history (bench/rebuild/src/history.ts) and publishes it to a fresh
 *    `<prefix>.events` topic with a transactional, idempotent producer (skipped with --prefix=P,
 *    which reuses a topic kept by an earlier --keep run);
 * 2. runs the rebuild command's code (`rebuildReadModel`) `--runs` times, each in a fresh child
 *    process, into a fresh database, sampling the CPU of the child, of Postgres and of the broker;
 * 3. on the last rebuild's (swapped-in) read model, times `flagAsOf` by sequence and by time and
 *    the first page of `flagHistory`, `--queries` random flags/points each, after a warm-up;
 * 4. drops the database and deletes the topic (unless --keep), writes results.md + results.json.
 *
 * Environment: KAFKA_BROKERS (127.0.0.1:19092), DATABASE_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres),
 * EVENTS (same as --events), REBUILD_NODE_FLAGS (default --max-semi-space-size=64).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createKafka, kafkaSettingsFromEnv, topicNames } from '@flagpole/kafka';
import { publishHistory, type Published } from './publish';
import { queryBenchmark, type QueryResults } from './queries';

const ROOT = path.resolve(__dirname, '../../../../../..');
const HERE = path.join(ROOT, 'bench', 'rebuild');
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const QUICK = flag('quick');
const KEEP = flag('keep');
const EVENTS = Number(option('events') ?? process.env.EVENTS ?? (QUICK ? 50_000 : 1_000_000));
const RUNS = Number(option('runs') ?? (QUICK ? 1 : 3));
const QUERIES = Number(option('queries') ?? (QUICK ? 200 : 1000));
const REUSE_PREFIX = option('prefix');
const MAX_BATCH = option('max-batch');
const NODE_FLAGS = (process.env.REBUILD_NODE_FLAGS ?? '--max-semi-space-size=64').split(' ').filter(Boolean);
const OUT_DIR = path.resolve(option('out') ?? (QUICK ? path.join(HERE, '.out') : HERE));
const ADMIN_DB_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_EVENTS_PER_SECOND = 20_000;
const TARGET_AS_OF_P99_MS = 50;
const COMMAND = `bash bench/rebuild/run.sh${argv.length ? ` ${argv.join(' ')}` : ''}`;
const CLK_TCK = 100;

const log = (message: string): void => {
  process.stdout.write(`[bench:rebuild ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc: the rebuild child, every Postgres process, the broker, the machine

interface ProcessTicks {
  readonly comm: string;
  readonly ticks: number;
}

function readProcesses(): Map<number, ProcessTicks> {
  const out = new Map<number, ProcessTicks>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function brokerPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('java') && /kafka/i.test(cmdline)) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/**
 * Samples /proc every 250 ms while a child runs. Postgres backends come and go, so each process's
 * last sample counts (minus what it had used before the phase): short-lived processes that start
 * and end between samples are missed, which only undercounts.
 */
class CpuSampler {
  private readonly before = readProcesses();
  private readonly last = new Map<number, ProcessTicks>();
  private readonly machineBefore = machineTicks();
  private readonly timer: NodeJS.Timeout;
  private readonly started = performance.now();
  private readonly brokerId = brokerPid();
  /** Cumulative CPU seconds of Postgres and the broker over time, to cut out a phase. */
  private readonly series: { at: number; postgres: number; broker: number }[] = [];

  constructor(private readonly childPid: () => number | undefined) {
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    for (const [pid, p] of readProcesses()) this.last.set(pid, p);
    let postgres = 0;
    let broker = 0;
    for (const [pid, p] of this.last) {
      if (p.comm === 'postgres') postgres += this.used(pid, p);
      if (pid === this.brokerId) broker += this.used(pid, p);
    }
    this.series.push({ at: Date.now(), postgres, broker });
  }

  private used(pid: number, p: ProcessTicks): number {
    const b = this.before.get(pid);
    return (p.ticks - (b && b.comm === p.comm ? b.ticks : 0)) / CLK_TCK;
  }

  /** CPU seconds Postgres and the broker used between two instants (linear between samples). */
  between(from: number, to: number): { postgres: number; broker: number } {
    const at = (t: number, key: 'postgres' | 'broker'): number => {
      const s = this.series;
      if (s.length === 0) return 0;
      if (t <= s[0]!.at) return s[0]![key];
      for (let i = 1; i < s.length; i++) {
        const a = s[i - 1]!;
        const b = s[i]!;
        if (t <= b.at) return a[key] + ((b[key] - a[key]) * (t - a.at)) / Math.max(1, b.at - a.at);
      }
      return s[s.length - 1]![key];
    };
    return { postgres: at(to, 'postgres') - at(from, 'postgres'), broker: at(to, 'broker') - at(from, 'broker') };
  }

  stop(): CpuUse {
    this.sample();
    clearInterval(this.timer);
    const used = (pid: number, p: ProcessTicks) => this.used(pid, p);
    let postgres = 0;
    let child = 0;
    let broker = 0;
    const childId = this.childPid();
    for (const [pid, p] of this.last) {
      if (p.comm === 'postgres') postgres += used(pid, p);
      if (pid === childId) child = used(pid, p);
      if (pid === this.brokerId) broker = used(pid, p);
    }
    const machine = machineTicks();
    const wall = (performance.now() - this.started) / 1000;
    return {
      wallSeconds: wall,
      rebuildNodeSeconds: child,
      postgresSeconds: postgres,
      brokerSeconds: broker,
      machineBusyCores: ((machine.busy - this.machineBefore.busy) / Math.max(1, machine.total - this.machineBefore.total)) * os.cpus().length,
    };
  }
}

interface CpuUse {
  readonly wallSeconds: number;
  /** CPU seconds of the rebuild's Node process. */
  readonly rebuildNodeSeconds: number;
  /** CPU seconds of all postgres processes on the machine (other users' included, if any). */
  readonly postgresSeconds: number;
  readonly brokerSeconds: number;
  /** Average busy cores of the whole machine during the run. */
  readonly machineBusyCores: number;
}

// ---------------------------------------------------------------------------------------------
// one rebuild in a child process

interface ChildResult {
  readonly events: number;
  readonly sequence: number;
  readonly replaySeconds: number;
  readonly eventsPerSecond: number;
  readonly indexSeconds: number;
  readonly checksumSeconds: number;
  readonly totalSeconds: number;
  readonly endToEndEventsPerSecond: number;
  readonly checksum: string;
  readonly batches: number;
  readonly writeSeconds: number;
  readonly nodeCpuSeconds: number;
  /** The rebuild process's CPU up to the last batch committed. */
  readonly replayNodeCpuSeconds: number;
  /** The rebuild process's main thread alone, up to the last batch committed (absent in results of older versions). */
  readonly replayMainThreadCpuSeconds?: number;
  /** Where the replay's pump stood idle, seconds: for the batch in flight, for verdicts, for fetches (absent in older results). */
  readonly replayWaitSeconds?: { readonly postgres: number; readonly checker: number; readonly fetch: number };
  /** Epoch ms of the replay's start and of its last commit (to cut the other processes' CPU to the replay). */
  readonly replayStartedAt: number;
  readonly replayEndedAt: number;
  readonly maxRssMb: number;
}

interface RebuildRun extends ChildResult {
  readonly run: number;
  readonly cpu: CpuUse;
  /** CPU seconds during the replay alone, and per event. */
  readonly replayCpu: {
    readonly node: number;
    readonly mainThread: number;
    readonly postgres: number;
    readonly broker: number;
    readonly microsecondsPerEvent: { readonly node: number; readonly mainThread: number; readonly postgres: number; readonly broker: number };
  };
  readonly loadAverage: readonly number[];
}

async function rebuildOnce(run: number, prefix: string, databaseUrl: string): Promise<RebuildRun> {
  const loadAverage = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const script = path.join(__dirname, 'rebuild-child.js');
  const child = spawn(process.execPath, [...NODE_FLAGS, script, prefix, databaseUrl, MAX_BATCH ?? 'default'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
  });
  const sampler = new CpuSampler(() => child.pid);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const cpu = sampler.stop();
  if (code !== 0) throw new Error(`rebuild run ${run} failed (exit ${code})`);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
  const others = sampler.between(result.replayStartedAt, result.replayEndedAt);
  const perEvent = (seconds: number) => Math.round((seconds * 1e6 * 10) / result.events) / 10;
  const replayCpu = {
    node: result.replayNodeCpuSeconds,
    mainThread: result.replayMainThreadCpuSeconds ?? 0,
    postgres: others.postgres,
    broker: others.broker,
    microsecondsPerEvent: {
      node: perEvent(result.replayNodeCpuSeconds),
      mainThread: perEvent(result.replayMainThreadCpuSeconds ?? 0),
      postgres: perEvent(others.postgres),
      broker: perEvent(others.broker),
    },
  };
  return { run, ...result, cpu, replayCpu, loadAverage };
}

// ---------------------------------------------------------------------------------------------
// main

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const prefix = REUSE_PREFIX ?? `fpbench-rebuild-${runId}`;
  const dbName = `flagpole_bench_rebuild_${runId.replace(/-/g, '_')}`;
  const machine = machineInfo();
  const started = performance.now();
  log(`run ${runId}: topic ${topicNames(prefix).events}, database ${dbName}; ${EVENTS.toLocaleString('en-US')} events, ${RUNS} rebuild(s), ${QUERIES} queries each; load average ${machine.loadAverageAtStart.join(' ')}`);
  const kafka = createKafka({ ...kafkaSettingsFromEnv(process.env, 'flagpole-bench-rebuild'), topicPrefix: prefix });
  const admin = new Client({ connectionString: ADMIN_DB_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(ADMIN_DB_URL);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  let published: Published | undefined;
  const runs: RebuildRun[] = [];
  let queries: QueryResults | undefined;
  try {
    if (!REUSE_PREFIX) {
      log(`generating and publishing ${EVENTS.toLocaleString('en-US')} events`);
      published = await publishHistory(kafka, prefix, EVENTS);
      log(`published ${published.events.toLocaleString('en-US')} events (${Math.round(published.bytes / published.events)} bytes on average, ${(published.bytes / 2 ** 20).toFixed(0)} MiB) in ${published.seconds.toFixed(1)} s`);
    }
    for (let run = 1; run <= RUNS; run++) {
      const r = await rebuildOnce(run, prefix, databaseUrl);
      runs.push(r);
      log(
        `rebuild ${run}: replay ${r.replaySeconds.toFixed(1)} s = ${r.eventsPerSecond.toLocaleString('en-US')} events/s; ` +
          `end to end ${r.totalSeconds.toFixed(1)} s = ${r.endToEndEventsPerSecond.toLocaleString('en-US')} events/s ` +
          `(indexes ${r.indexSeconds.toFixed(1)} s alongside checksum ${r.checksumSeconds.toFixed(1)} s); ` +
          `replay CPU per event: Node ${r.replayCpu.microsecondsPerEvent.node} µs (main thread ${r.replayCpu.microsecondsPerEvent.mainThread}), Postgres ${r.replayCpu.microsecondsPerEvent.postgres} µs, broker ${r.replayCpu.microsecondsPerEvent.broker} µs; load ${r.loadAverage.join(' ')}`,
      );
    }
    if (QUERIES > 0) {
      log(`queries on the rebuilt read model: ${QUERIES} each`);
      queries = await queryBenchmark(databaseUrl, QUERIES, (m) => log(m));
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((e: Error) => log(`could not drop ${dbName}: ${e.message}`));
    await admin.end();
    if (!KEEP && !REUSE_PREFIX) {
      const kafkaAdmin = kafka.admin();
      await kafkaAdmin.connect();
      await kafkaAdmin.deleteTopics({ topics: [topicNames(prefix).events] }).catch((e: Error) => log(`could not delete the topic: ${e.message}`));
      await kafkaAdmin.disconnect();
    } else {
      log(`kept topic ${topicNames(prefix).events} (reuse: --prefix=${prefix})`);
    }
  }
  const results: Results = {
    date: new Date().toISOString(),
    command: COMMAND,
    runSeconds: (performance.now() - started) / 1000,
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    nodeFlags: NODE_FLAGS,
    events: EVENTS,
    topic: topicNames(prefix).events,
    published,
    rebuilds: runs,
    queries,
    targets: { eventsPerSecond: TARGET_EVENTS_PER_SECOND, asOfP99Ms: TARGET_AS_OF_P99_MS },
  };
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(OUT_DIR, 'results.md'), report(results));
  log(`wrote ${path.relative(ROOT, path.join(OUT_DIR, 'results.md'))} and results.json (${results.runSeconds.toFixed(0)} s in all)`);
}

// ---------------------------------------------------------------------------------------------
// machine and report

function machineInfo() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const pkg = (name: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  const kafkaVersion = (() => {
    try {
      return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(path.join(ROOT, 'infra/kafka/pom.xml'), 'utf8'))?.[1] ?? '?';
    } catch {
      return '?';
    }
  })();
  return {
    cpuModel: model,
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    kafka: `Apache Kafka ${kafkaVersion} (single node, KRaft, on this machine)`,
    kafkajs: pkg('kafkajs'),
    pg: pkg('pg'),
    typeorm: pkg('typeorm'),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

interface Results {
  readonly date: string;
  readonly command: string;
  readonly runSeconds: number;
  readonly machine: ReturnType<typeof machineInfo> & { readonly loadAverageAtEnd: readonly number[] };
  readonly nodeFlags: readonly string[];
  readonly events: number;
  readonly topic: string;
  readonly published?: Published;
  readonly rebuilds: readonly RebuildRun[];
  readonly queries?: QueryResults;
  readonly targets: { readonly eventsPerSecond: number; readonly asOfP99Ms: number };
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const f1 = (x: number): string => x.toFixed(1);
const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));

function report(r: Results): string {
  const best = [...r.rebuilds].sort((a, b) => b.eventsPerSecond - a.eventsPerSecond)[0];
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const replayMedian = median(r.rebuilds.map((x) => x.eventsPerSecond));
  const e2eMedian = median(r.rebuilds.map((x) => x.endToEndEventsPerSecond));
  const q = r.queries;
  const lines = [
    '# Rebuild and query benchmark — results',
    '',
    `Written by \`${r.command}\` on ${r.date.slice(0, 10)} (${f1(r.runSeconds / 60)} min). Method: [README.md](README.md).`,
    '',
    `- **Machine:** ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}; load average ${r.machine.loadAverageAtStart.join(' / ')} at start, ${r.machine.loadAverageAtEnd.join(' / ')} at end (shared machine; each rebuild's own load average is in its row)`,
    `- **Software:** Node ${r.machine.node} (rebuild process: \`${r.nodeFlags.join(' ') || 'no flags'}\`), ${r.machine.kafka}, kafkajs ${r.machine.kafkajs}, pg ${r.machine.pg}, TypeORM ${r.machine.typeorm}, ${q?.postgres ?? 'PostgreSQL'}`,
    `- **Log:** ${n(r.events)} events${r.published ? `, ${n(r.published.bytes / r.published.events)} bytes each on average (${n(r.published.bytes / 2 ** 20)} MiB), ${Object.entries(r.published.aggregates).map(([t, c]) => `${n(c)} ${t}${c === 1 ? '' : 's'}`).join(', ')}; published in ${f1(r.published.seconds)} s (${n(r.published.events / r.published.seconds)} events/s, one transaction per 1,000 events)` : ` (topic \`${r.topic}\` reused)`}`,
    ...(r.published ? [`- **Event mix:** ${Object.entries(r.published.types).sort((a, b) => b[1] - a[1]).map(([t, c]) => `${t} ${((100 * c) / r.published!.events).toFixed(1)} %`).join(', ')}`] : []),
    '',
    '## Rebuild',
    '',
    `Target: ≥ ${n(r.targets.eventsPerSecond)} events/s. Median of ${r.rebuilds.length}: **replay ${n(replayMedian)} events/s**, end to end ${n(e2eMedian)} events/s${best ? ` (best replay ${n(best.eventsPerSecond)})` : ''}.`,
    '',
    '| run | replay¹ | events/s | replay CPU per event: Node (its main thread) / Postgres / broker⁵ | index build² | checksum² | end to end³ | events/s | Postgres transactions | pump idle: Postgres / verdicts / fetch⁶ | rebuild CPU⁴ | Postgres CPU⁴ | broker CPU⁴ | machine busy⁴ | max RSS | load avg at start |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.rebuilds.map(
      (x) =>
        `| ${x.run} | ${f1(x.replaySeconds)} s | **${n(x.eventsPerSecond)}** | ${f1(x.replayCpu.microsecondsPerEvent.node)} (${f1(x.replayCpu.microsecondsPerEvent.mainThread)}) / ${f1(x.replayCpu.microsecondsPerEvent.postgres)} / ${f1(x.replayCpu.microsecondsPerEvent.broker)} µs | ${f1(x.indexSeconds)} s | ${f1(x.checksumSeconds)} s | ${f1(x.totalSeconds)} s | ${n(x.endToEndEventsPerSecond)} | ${x.batches} (${f1(x.writeSeconds)} s) | ${x.replayWaitSeconds ? `${f1(x.replayWaitSeconds.postgres)} / ${f1(x.replayWaitSeconds.checker)} / ${f1(x.replayWaitSeconds.fetch)} s` : '—'} | ${f1(x.cpu.rebuildNodeSeconds)} s | ${f1(x.cpu.postgresSeconds)} s | ${f1(x.cpu.brokerSeconds)} s | ${x.cpu.machineBusyCores.toFixed(2)} of ${r.machine.cores} | ${n(x.maxRssMb)} MB | ${x.loadAverage.join(' / ')} |`,
    ),
    '',
    '¹ consumer start → every event applied and committed (per-event version and chain checks, one transaction per batch).  ',
    '² run side by side after the replay: the audit trail\'s secondary indexes (dropped for the replay) with `ANALYZE` of every table and the checksum of every table read back.  ',
    '³ the whole command: migrations, replay, index build, checksum, swap.  ',
    '⁴ CPU seconds over the whole run (replay, index build, checksum), from /proc; Postgres = every postgres process on the machine.  ',
    '⁵ CPU time per event during the replay alone: the rebuild process (its own `process.cpuUsage()` at the last commit: every thread, the hash-check worker included) and its main thread (/proc/self/task), Postgres and the broker (/proc samples every 250 ms, cut to the replay\'s start and end). On 2 cores the replay cannot beat 2 s ÷ (their sum), nor 1 s ÷ the largest single-threaded part.  ',
    '⁶ time during the replay when the main thread\'s batch loop had nothing to do: waiting for the previous batch\'s transaction to commit with the next batch already built (Postgres), or with nothing to build because the records were still with the record-check worker (verdicts) or not yet delivered by kafkajs (fetch; includes the last batch\'s write, which nothing overlaps, and the main thread may be decoding fetches meanwhile).',
    '',
    `Checksums: ${[...new Set(r.rebuilds.map((x) => x.checksum))].map((c) => `\`${c}\``).join(', ')} (${new Set(r.rebuilds.map((x) => x.checksum)).size === 1 ? 'identical in every run' : 'DIFFERENT between runs'}).`,
    '',
  ];
  if (q) {
    lines.push(
      '## Queries at this size',
      '',
      `${n(q.queries)} queries per kind, one client, sequential, after ${q.warmup} warm-up queries per kind; random flag (of ${n(q.flags)}) and random point; wall time per call of the library function (\`libs/read-model/src/queries\`) through TypeORM on one connection, Postgres on the same machine. Target: as-of p99 ≤ ${r.targets.asOfP99Ms} ms.`,
      '',
      '| query | p50 | p90 | p99 | max | mean | rows per call (mean) |',
      '|---|---|---|---|---|---|---|',
      ...q.kinds.map((k) => `| ${k.label} | ${ms(k.p50)} ms | ${ms(k.p90)} ms | **${ms(k.p99)} ms** | ${ms(k.max)} ms | ${ms(k.mean)} ms | ${f1(k.rowsMean)} |`),
      '',
      'Plans (EXPLAIN, one sample call each):',
      '',
      ...q.plans.map((p) => `- ${p.label}: \`${p.plan}\``),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
