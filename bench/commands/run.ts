/**
 * Flagpole command benchmark: latency and throughput of write commands through HTTP, each
 * answered only after its events and the compacted state were committed in one Kafka
 * transaction with acks=all.
 *
 * The control plane runs as a child process (`node dist/services/control-plane/src/main.js`,
 * as in production) against the real broker and Postgres, with a fresh database and a unique
 * topic prefix; the database and the topics are removed afterwards. Run it with
 * `bash bench/commands/run.sh` (builds the project and this program first). Options:
 *   --quick          smaller counts (smoke run; figures not meaningful); results go to .out/
 *   --profile        CPU-profile the control plane during each measured phase (profiles/),
 *                    print the functions and packages with the most self time; results go to
 *                    profiles/ (a profiled run is slower, so it does not replace results.md)
 *   --keep-topics    leave the run's topics on the broker
 *   --out=DIR        where results.md / results.json go (default bench/commands)
 *   --app=FILE       the control plane's entry point to run (default dist/services/control-plane/src/main.js),
 *                    e.g. a copy of an earlier build, for A/B comparisons on the same machine state
 *   --scenarios=a,b  run only these scenarios (sequential, concurrent, hot, configure)
 *   --no-floor       skip the Kafka transaction floor
 *                    (--app, --scenarios and --no-floor are for experiments: results go to .out/)
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../libs/kafka/src/create-kafka';
import { TopicReader, type TopicRecord } from '../../libs/kafka/src/topic-reader';

// ---------------------------------------------------------------------------------------------
// options and constants

const ROOT = path.resolve(__dirname, '../../../../..');
const HERE = path.join(ROOT, 'bench', 'commands');
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const QUICK = flag('quick');
const PROFILE = flag('profile');
const KEEP_TOPICS = flag('keep-topics');
const APP = option('app');
const ONLY = option('scenarios')?.split(',').map((s) => s.trim()).filter(Boolean);
const NO_FLOOR = flag('no-floor');
const EXPERIMENT = APP !== undefined || ONLY !== undefined || NO_FLOOR;
const OUT_DIR = path.resolve(option('out') ?? (QUICK || EXPERIMENT ? path.join(HERE, '.out') : PROFILE ? path.join(HERE, 'profiles') : HERE));
const PROFILE_DIR = path.join(HERE, 'profiles');

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').map((b) => b.trim()).filter(Boolean);
const ADMIN_DB_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ENVIRONMENT = 'bench';
const FLAG_COUNT = 200;
const CLIENTS = 16;
const scale = (n: number): number => (QUICK ? Math.max(16, Math.round(n / 10)) : n);
const PLAN = {
  sequential: { warmup: scale(300), measured: scale(2000) },
  concurrent: { warmup: scale(2000), measured: scale(10_000) },
  hot: { warmup: scale(500), measured: scale(3000) },
  configure: { warmup: scale(100), measured: scale(1000) },
  kafkaFloor: { warmup: scale(30), measured: scale(300) },
};
const TARGET_P99_MS = 25;
const TARGET_THROUGHPUT = 1000;
const COMMAND = `bash bench/commands/run.sh${argv.length ? ` ${argv.join(' ')}` : ''}`;

// ---------------------------------------------------------------------------------------------
// HTTP client: node:http with one keep-alive agent (one socket per concurrent client)

const agent = new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 });

interface Reply {
  readonly status: number; // 0 when the request itself failed (connection error, timeout)
  readonly ns: bigint;
  readonly text: string;
}

function send(port: number, method: string, urlPath: string, body: unknown, token?: string): Promise<Reply> {
  const start = process.hrtime.bigint();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = {};
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ns: process.hrtime.bigint() - start, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, ns: process.hrtime.bigint() - start, text: String(e) }));
    });
    req.on('timeout', () => req.destroy(new Error('client timeout (30 s)')));
    req.on('error', (e) => resolve({ status: 0, ns: process.hrtime.bigint() - start, text: String(e) }));
    req.end(payload);
  });
}

/** Every command the benchmark sent, whatever the phase: the event check adds them all up. */
const ledger = { commands: 0, succeeded: 0, failed: 0, noops: 0, events: 0 };

interface CommandOutcome {
  readonly ok: boolean;
  readonly status: number;
  readonly ms: number;
  readonly events: number;
  readonly text: string;
}

async function command(port: number, token: string, method: string, urlPath: string, body: unknown): Promise<CommandOutcome> {
  const reply = await send(port, method, urlPath, body, token);
  const ms = Number(reply.ns) / 1e6;
  ledger.commands++;
  const ok = reply.status >= 200 && reply.status < 300;
  let events = 0;
  if (ok) {
    ledger.succeeded++;
    try {
      events = (JSON.parse(reply.text) as { events?: unknown[] }).events?.length ?? 0;
    } catch {
      events = 0;
    }
    ledger.events += events;
    if (events === 0) ledger.noops++;
  } else ledger.failed++;
  return { ok, status: reply.status, ms, events, text: reply.text };
}

// ---------------------------------------------------------------------------------------------
// statistics and resource usage

interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function latency(ms: number[]): Latency {
  if (ms.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const s = [...ms].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const CLK_TCK = (() => {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far, from /proc; undefined if unknown. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
  } catch {
    return undefined;
  }
}

function machineCpuSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

interface Usage {
  readonly controlPlane?: number;
  readonly broker?: number;
  readonly client: number;
  readonly machineBusy: number;
  readonly machineTotal: number;
}

function usageNow(childPid: number | undefined, brokerPid: number | undefined): Usage {
  const c = process.cpuUsage();
  const m = machineCpuSeconds();
  return { controlPlane: cpuSeconds(childPid), broker: cpuSeconds(brokerPid), client: (c.user + c.system) / 1e6, machineBusy: m.busy, machineTotal: m.total };
}

/** CPU used during a phase, in cores (CPU seconds per wall second). */
function coresBetween(a: Usage, b: Usage, wallS: number) {
  const d = (x?: number, y?: number) => (x === undefined || y === undefined ? undefined : (y - x) / wallS);
  const machine = b.machineTotal - a.machineTotal;
  return {
    controlPlane: d(a.controlPlane, b.controlPlane),
    broker: d(a.broker, b.broker),
    client: d(a.client, b.client)!,
    machine: machine > 0 ? ((b.machineBusy - a.machineBusy) / machine) * os.cpus().length : undefined,
  };
}

interface ServerHttp {
  readonly sum: number;
  readonly count: number;
}

/** Sum and count of the control plane's own request-duration histogram for writes. */
async function serverHttp(port: number): Promise<ServerHttp> {
  const reply = await send(port, 'GET', '/metrics', undefined);
  let sum = 0;
  let count = 0;
  for (const line of reply.text.split('\n')) {
    const m = /^flagpole_http_request_duration_seconds_(sum|count)\{([^}]*)\} ([0-9.e+-]+)$/.exec(line);
    if (!m || /method="GET"/.test(m[2]!)) continue;
    if (m[1] === 'sum') sum += Number(m[3]);
    else count += Number(m[3]);
  }
  return { sum, count };
}

// ---------------------------------------------------------------------------------------------
// phases

interface Op {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly onOk?: () => void;
}

interface PhaseResult {
  readonly commands: number;
  readonly ok: number;
  readonly errors: number;
  readonly errorsByStatus: Record<string, number>;
  readonly errorSamples: string[];
  readonly noops: number;
  readonly events: number;
  readonly wallMs: number;
  readonly throughput: number;
  readonly latency: Latency;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** `count` commands from `clients` concurrent loops; each loop awaits its reply before the next. */
async function phase(port: number, token: string, clients: number, count: number, next: (ticket: number, client: number) => Op): Promise<PhaseResult> {
  let issued = 0;
  const ms: number[] = [];
  const errorsByStatus: Record<string, number> = {};
  const errorSamples: string[] = [];
  let ok = 0;
  let noops = 0;
  let events = 0;
  const startedAt = Date.now();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (issued < count) {
        const op = next(issued++, client);
        const r = await command(port, token, op.method, op.path, op.body);
        ms.push(r.ms);
        if (r.ok) {
          ok++;
          events += r.events;
          if (r.events === 0) noops++;
          op.onOk?.();
        } else {
          errorsByStatus[r.status] = (errorsByStatus[r.status] ?? 0) + 1;
          if (errorSamples.length < 5) errorSamples.push(`${r.status} ${op.method} ${op.path}: ${r.text.slice(0, 300)}`);
        }
      }
    }),
  );
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    commands: ms.length,
    ok,
    errors: ms.length - ok,
    errorsByStatus,
    errorSamples,
    noops,
    events,
    wallMs,
    throughput: ms.length / (wallMs / 1000),
    latency: latency(ms),
    startedAt,
    endedAt: Date.now(),
  };
}

interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly clients: number;
  readonly warmup: PhaseResult;
  readonly measured: PhaseResult;
  readonly server: { meanMs?: number; requests: number };
  readonly cores: ReturnType<typeof coresBetween>;
  transactions?: number;
  commandsPerTransaction?: number;
  writerRetries?: number;
}

// ---------------------------------------------------------------------------------------------
// the control plane as a child process

interface Instance {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  readonly prefix: string;
  readonly logFile: string;
  exited: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startControlPlane(databaseUrl: string, prefix: string, token: string): Promise<Instance> {
  const port = await freePort();
  fs.mkdirSync(path.join(HERE, '.out'), { recursive: true });
  const logFile = path.join(HERE, '.out', 'control-plane.log');
  const log = fs.openSync(logFile, 'w');
  const nodeArgs: string[] = [];
  if (PROFILE) {
    fs.rmSync(PROFILE_DIR, { recursive: true, force: true });
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    nodeArgs.push('-r', path.join(__dirname, 'profiler-preload.js'));
  }
  const child = spawn(process.execPath, [...nodeArgs, path.resolve(ROOT, APP ?? 'dist/services/control-plane/src/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      KAFKA_BROKERS: BROKERS.join(','),
      DATABASE_URL: databaseUrl,
      FLAGPOLE_TOPIC_PREFIX: prefix,
      FLAGPOLE_BOOTSTRAP_TOKEN: token,
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...(PROFILE ? { FLAGPOLE_BENCH_PROFILE_DIR: PROFILE_DIR } : {}),
    },
    stdio: PROFILE ? ['ignore', log, log, 'ipc'] : ['ignore', log, log],
  });
  const instance: Instance = { child, port, token, prefix, logFile, exited: false };
  child.on('exit', () => (instance.exited = true));
  return instance;
}

async function waitReady(instance: Instance, timeoutMs = 90_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (instance.exited) throw new Error(`the control plane exited during start-up; log:\n${tail(instance.logFile)}`);
    const ready = await send(instance.port, 'GET', '/health/ready', undefined);
    if (ready.status === 200) {
      const body = JSON.parse(ready.text) as { checks?: { writer?: string } };
      if (body.checks?.writer === 'ready') {
        const auth = await send(instance.port, 'DELETE', '/api/tokens/none', undefined, instance.token);
        if (auth.status === 404) return Date.now() - t0;
      }
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`the control plane was not ready after ${timeoutMs} ms; log:\n${tail(instance.logFile)}`);
    await sleep(200);
  }
}

async function stopControlPlane(instance: Instance): Promise<void> {
  if (instance.exited) return;
  const exited = new Promise<void>((resolve) => instance.child.once('exit', () => resolve()));
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Kafka: reading the run's topics, the transaction floor, clean-up

interface ReadRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: number;
  readonly type?: string;
  readonly sequence?: number;
}

async function readTopic(kafka: Kafka, topic: string): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const reader = new TopicReader({
    kafka,
    topic,
    tail: false,
    groupIdPrefix: 'flagpole-bench',
    onRecord: (r: TopicRecord) =>
      void records.push({
        partition: r.partition,
        offset: BigInt(r.offset),
        timestamp: Number(r.message.timestamp),
        type: r.message.headers?.['flagpole-type']?.toString(),
        sequence: r.message.headers?.['flagpole-sequence'] ? Number(r.message.headers['flagpole-sequence'].toString()) : undefined,
      }),
  });
  await reader.start();
  return records;
}

/**
 * Transactions in a single-partition topic: every commit leaves a marker at the offset after a
 * transaction's last record, so a gap in the offsets of committed records starts a new one.
 */
function transactions(records: readonly ReadRecord[]): { firstTimestamp: number; records: number }[] {
  const sorted = [...records].sort((a, b) => (a.offset < b.offset ? -1 : 1));
  const txns: { firstTimestamp: number; records: number }[] = [];
  let previous: bigint | undefined;
  for (const r of sorted) {
    if (previous === undefined || r.offset !== previous + 1n) txns.push({ firstTimestamp: r.timestamp, records: 0 });
    txns[txns.length - 1]!.records++;
    previous = r.offset;
  }
  return txns;
}

interface FloorResult {
  readonly label: string;
  readonly initialRetryTimeMs: number;
  readonly transactions: number;
  /** AddPartitionsToTxn answered CONCURRENT_TRANSACTIONS: the previous commit's markers were still being written. */
  readonly concurrentTransactionRetries: number;
  readonly total: Latency;
  readonly send: Latency;
  readonly commit: Latency;
  readonly throughput: number;
  /** Broker requests the producer sent per transaction, by API, with their mean round trip (kafkajs REQUEST events). */
  readonly requests: { api: string; perTransaction: number; meanMs: number }[];
}

const CONCURRENT_TRANSACTIONS = /another concurrent operation on the same transaction/;

/**
 * The same Kafka work the writer does for one toggle, without HTTP and without the writer:
 * a kafkajs transactional producer (configured as in EventWriter.connect, on a client made by
 * createKafka as in WriterRuntime) sends one event (3-partition topic) and one state record
 * (1-partition topic) with acks=all and commits, back to back. `retry` overrides the
 * producer's retry options (the writer passes none, so it inherits createKafka's 100 ms).
 */
async function kafkaFloor(prefix: string, label: string, retry?: { initialRetryTime: number; retries?: number }): Promise<FloorResult> {
  let retries = 0;
  const count = (_: unknown, message?: string) => {
    if (message && CONCURRENT_TRANSACTIONS.test(message) && /^Failed to send messages/.test(message)) retries++;
  };
  const logger = { error: count, warn: count, info: count, debug: count } as unknown as Parameters<typeof createKafka>[1];
  const kafka = createKafka({ brokers: BROKERS, clientId: 'flagpole-bench-floor', topicPrefix: prefix }, logger, { maxRetryTimeMs: 4000 });
  const tag = retry ? `r${retry.initialRetryTime}` : 'writer';
  const eventsTopic = `${prefix}.floor-${tag}.events`;
  const stateTopic = `${prefix}.floor-${tag}.state`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: eventsTopic, numPartitions: 3, replicationFactor: 1 },
      { topic: stateTopic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ],
  });
  await admin.disconnect();
  const producer = kafka.producer({
    transactionalId: `${prefix}.floor-${tag}`,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 60_000,
    allowAutoTopicCreation: false,
    ...(retry ? { retry } : {}),
  });
  const requests = new Map<string, { count: number; ms: number }>();
  let counting = false;
  producer.on(producer.events.REQUEST, ({ payload }) => {
    if (!counting) return;
    const r = requests.get(payload.apiName) ?? { count: 0, ms: 0 };
    r.count++;
    r.ms += payload.duration;
    requests.set(payload.apiName, r);
  });
  await producer.connect();
  const one = async (i: number) => {
    const key = `flag-${i % FLAG_COUNT}`;
    const value = JSON.stringify({ type: 'FlagToggled', aggregateId: key, data: { environment: ENVIRONMENT, on: i % 2 === 0 }, padding: 'x'.repeat(300) });
    const t0 = process.hrtime.bigint();
    const txn = await producer.transaction();
    await txn.sendBatch({ acks: -1, topicMessages: [{ topic: eventsTopic, messages: [{ key, value }] }, { topic: stateTopic, messages: [{ key: `flag/${key}`, value }] }] });
    const t1 = process.hrtime.bigint();
    await txn.commit();
    const t2 = process.hrtime.bigint();
    return { total: Number(t2 - t0) / 1e6, send: Number(t1 - t0) / 1e6, commit: Number(t2 - t1) / 1e6 };
  };
  try {
    for (let i = 0; i < PLAN.kafkaFloor.warmup; i++) await one(i);
    retries = 0;
    counting = true;
    const total: number[] = [];
    const sendMs: number[] = [];
    const commit: number[] = [];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < PLAN.kafkaFloor.measured; i++) {
      const r = await one(i);
      total.push(r.total);
      sendMs.push(r.send);
      commit.push(r.commit);
    }
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    return {
      label,
      initialRetryTimeMs: retry?.initialRetryTime ?? 100,
      transactions: total.length,
      concurrentTransactionRetries: retries,
      total: latency(total),
      send: latency(sendMs),
      commit: latency(commit),
      throughput: total.length / wall,
      requests: [...requests.entries()].map(([api, r]) => ({ api, perTransaction: r.count / total.length, meanMs: r.ms / r.count })),
    };
  } finally {
    await producer.disconnect();
  }
}

/** CONCURRENT_TRANSACTIONS retries the control plane logged (kafkajs logs them as errors), by time. */
function writerRetries(logFile: string): number[] {
  const times: number[] = [];
  let text = '';
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    return times;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('Failed to send messages') || !CONCURRENT_TRANSACTIONS.test(line)) continue;
    try {
      times.push((JSON.parse(line) as { time: number }).time);
    } catch {
      // not JSON
    }
  }
  return times;
}

async function deleteTopics(kafka: Kafka, prefix: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    return topics;
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// profiles

/** Starts or stops the CPU profile in the child (see profiler-preload.ts); stop returns the file. */
async function profileControl(instance: Instance, what: 'start' | 'stop'): Promise<string | undefined> {
  if (!PROFILE) return undefined;
  const answer = new Promise<{ written?: string }>((resolve) => instance.child.once('message', (m) => resolve(m as { written?: string })));
  instance.child.send(`profile:${what}`);
  const reply = await Promise.race([answer, sleep(30_000).then(() => ({}) as { written?: string })]);
  return reply.written;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface ProfileSummary {
  readonly samples: number;
  /** Share of samples whose own frame is in the area (package, Node module, Flagpole folder). */
  readonly areas: [string, number][];
  /** Share of samples whose own frame is the function. */
  readonly functions: [string, number][];
  /** Share of samples with the function anywhere on the stack (Flagpole's code and entry points of packages). */
  readonly inclusive: [string, number][];
  /** Share of samples by the nearest frame on the stack that belongs to a known part (see PARTS). */
  readonly parts: [string, number][];
}

/** Parts of the control plane, recognised by a frame's URL; a sample goes to the part of its leaf-most recognised frame. */
const PARTS: readonly [string, RegExp][] = [
  ['follower: kafkajs consumer tailing the events topic, applying events', /kafkajs\/src\/consumer|writer\/event-log-follower|kafka\/src\/topic-reader/],
  ["writer's producer: kafkajs transactions", /kafkajs\/src\/producer/],
  ['kafkajs network and protocol (producer and consumer)', /kafkajs\/src\//],
  ['request logging: pino-http, pino (LOG_LEVEL=warn)', /pino-http|node_modules\/pino\/|pino-std-serializers|@pinojs|nestjs-pino|sonic-boom/],
  ['validation: class-validator, class-transformer, ValidationPipe', /class-validator|class-transformer|pipes\/validation\.pipe/],
  ['auth guard (token hash, lookup)', /auth\/token-auth\.guard|auth\/token-secret/],
  ['domain: decide, stamp, state, canonical JSON', /dist\/libs\/domain|json-canonicalize/],
  ['writer: event-writer, command queue, codec', /control-plane\/src\/writer|libs\/kafka\/src\/event-codec/],
  ['metrics: prom-client', /prom-client|control-plane\/src\/metrics/],
  ['other control-plane code (controllers, http/)', /dist\/services\/control-plane/],
  ['Nest: routing, guards, pipes, CQRS, rxjs', /@nestjs\/|node_modules\/rxjs/],
  ['Express, router, body-parser', /node_modules\/(express|router|body-parser|raw-body|finalhandler|send|etag|fresh|type-is|content-type|iconv-lite|qs|on-finished|depd|mime|accepts|negotiator|cookie|parseurl|proxy-addr|vary|statuses)\//],
  ['Node HTTP server and sockets', /^node:(_http|http|net|stream|internal\/streams|internal\/http|internal\/stream_base|events)/],
];

/** Self and inclusive time of a V8 .cpuprofile, by package/area and by function. */
function summariseProfile(file: string, top = 25): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const hits = new Map<number, number>();
  for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = prof.samples.length;
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of prof.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const urlOf = (n: ProfileNode) => n.callFrame.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/^.*\/node_modules\//, 'node_modules/');
  const keyOf = (n: ProfileNode) => {
    const url = urlOf(n);
    return `${n.callFrame.functionName || '(anonymous)'}  ${url || '(native)'}${url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
  };
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const parts = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, c: number) => m.set(k, (m.get(k) ?? 0) + c);
  for (const n of prof.nodes) {
    const c = hits.get(n.id) ?? 0;
    if (!c) continue;
    add(fns, keyOf(n), c);
    add(areas, area(urlOf(n), n.callFrame.functionName), c);
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!;
      const url = urlOf(frame);
      if (!url.startsWith('dist/') && !url.startsWith('node_modules/')) continue;
      if (!frame.callFrame.functionName) continue;
      seen.add(keyOf(frame));
    }
    for (const k of seen) add(inclusive, k, c);
    const name = n.callFrame.functionName;
    let part: string | undefined = name === '(idle)' || name === '(garbage collector)' || name === '(program)' ? name : undefined;
    for (let id: number | undefined = n.id; id !== undefined && !part; id = parent.get(id)) {
      const url = urlOf(byId.get(id)!);
      if (url) part = PARTS.find(([, re]) => re.test(url))?.[0];
    }
    add(parts, part ?? 'other (Node internals, timers, microtasks)', c);
  }
  const pct = (m: Map<string, number>, k: number): [string, number][] =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, c]) => [name, Math.round((1000 * c) / total) / 10]);
  return { samples: total, parts: pct(parts, 30), areas: pct(areas, 20), functions: pct(fns, top), inclusive: pct(inclusive, 40) };
}

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native/builtin)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const m = /^dist\/((?:libs|services)\/[^/]+\/src\/[^/]+)/.exec(url);
  if (m) return m[1]!;
  return url.split('/').slice(0, 3).join('/');
}

// ---------------------------------------------------------------------------------------------
// main

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const prefix = `bench-${runId}`;
  const dbName = `flagpole_bench_${runId.replace(/-/g, '_')}`;
  const token = `fp_bench_${randomBytes(12).toString('hex')}`;
  const databaseUrl = (() => {
    const u = new URL(ADMIN_DB_URL);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const kafka = createKafka({ brokers: BROKERS, clientId: 'flagpole-bench', topicPrefix: prefix });
  const brokerPid = (() => {
    try {
      return Number(fs.readFileSync(path.join(ROOT, 'infra/.data/kafka.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  })();
  const machine = machineInfo();
  log(`run ${runId}: topics ${prefix}.*, database ${dbName}; load average ${machine.loadAverageAtStart.join(' ')}`);

  const admin = new Client({ connectionString: ADMIN_DB_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();

  let instance: Instance | undefined;
  let topicsDeleted: string[] = [];
  const onSignal = () => {
    instance?.child.kill('SIGTERM');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    instance = await startControlPlane(databaseUrl, prefix, token);
    const readyMs = await waitReady(instance);
    log(`control plane pid ${instance.child.pid} ready on port ${instance.port} after ${readyMs} ms`);
    const { port } = instance;
    const baseline = await readTopic(kafka, `${prefix}.events`);

    // set-up: one environment, 200 boolean flags (off everywhere)
    const flags = Array.from({ length: FLAG_COUNT }, (_, i) => `bench-flag-${String(i).padStart(3, '0')}`);
    const setupErrors: string[] = [];
    const setupStart = Date.now();
    const env = await command(port, token, 'POST', '/api/environments', { key: ENVIRONMENT, name: 'Bench' });
    if (!env.ok) throw new Error(`creating the environment failed: ${env.status} ${env.text}`);
    const setup = await phase(port, token, 4, flags.length, (i) => ({ method: 'POST', path: '/api/flags', body: { key: flags[i], name: `Bench flag ${i}` } }));
    if (setup.errors > 0) setupErrors.push(...setup.errorSamples);
    if (setup.errors > 0) throw new Error(`creating flags failed: ${setupErrors.join('; ')}`);
    log(`set-up: 1 environment, ${flags.length} flags in ${Date.now() - setupStart} ms`);

    // the Kafka transaction floor (no HTTP, no writer): kafkajs' default retry back-off, the Java client's, the writer's
    const floors: FloorResult[] = [];
    for (const [label, retry] of NO_FLOOR ? [] : [
      ['retry back-off inherited from createKafka: 100 ms (kafkajs\' default)', undefined],
      ['producer retry initialRetryTime 20 ms (the Java client\'s CONCURRENT_TRANSACTIONS back-off)', { initialRetryTime: 20 }],
      ['as the writer: producer retry initialRetryTime 5 ms, 10 retries', { initialRetryTime: 5, retries: 10 }],
    ] as const) {
      const floor = await kafkaFloor(prefix, label, retry);
      floors.push(floor);
      log(
        `kafka floor, ${label}: ${floor.transactions} back-to-back transactions, ${floor.concurrentTransactionRetries} CONCURRENT_TRANSACTIONS retries, ` +
          `p50 ${floor.total.p50.toFixed(2)} p99 ${floor.total.p99.toFixed(2)} ms, ${floor.throughput.toFixed(0)} txn/s`,
      );
    }

    const on: boolean[] = flags.map(() => false);
    const toggle = (f: number): Op => {
      const target = !on[f];
      return { method: 'POST', path: `/api/flags/${flags[f]}/environments/${ENVIRONMENT}/toggle`, body: { on: target }, onOk: () => (on[f] = target) };
    };
    const configured: number[] = flags.map(() => 0);
    const configure = (f: number): Op => {
      const n = configured[f]! + 1;
      const body = {
        on: true,
        offVariant: 'off',
        fallthrough: { variant: 'off' },
        rules: [
          {
            id: 'beta',
            condition: { all: [{ attribute: 'country', operator: 'in', values: n % 2 ? ['US', 'CA', 'GB'] : ['US', 'DE', 'FR'] }, { attribute: 'plan', operator: 'in', values: ['premium'] }] },
            serve: { variant: 'on' },
          },
        ],
      };
      return { method: 'PUT', path: `/api/flags/${flags[f]}/environments/${ENVIRONMENT}`, body, onOk: () => (configured[f] = n) };
    };

    const scenarios: ScenarioResult[] = [];
    const run = async (id: string, title: string, clients: number, plan: { warmup: number; measured: number }, next: (ticket: number, client: number) => Op, before?: () => Promise<void>) => {
      if (ONLY && !ONLY.includes(id)) return;
      await before?.();
      const warmup = await phase(port, token, clients, plan.warmup, next);
      await before?.();
      await sleep(300); // a gap, so Kafka records can be told apart by timestamp
      const s0 = await serverHttp(port);
      await profileControl(instance!, 'start');
      const u0 = usageNow(instance!.child.pid, brokerPid);
      const measured = await phase(port, token, clients, plan.measured, next);
      const u1 = usageNow(instance!.child.pid, brokerPid);
      const profile = await profileControl(instance!, 'stop');
      const s1 = await serverHttp(port);
      await sleep(300);
      const requests = s1.count - s0.count;
      if (instance!.exited) throw new Error(`the control plane exited during "${title}"; log:\n${tail(instance!.logFile)}`);
      const result: ScenarioResult = {
        id,
        title,
        clients,
        warmup,
        measured,
        server: { meanMs: requests > 0 ? ((s1.sum - s0.sum) / requests) * 1000 : undefined, requests },
        cores: coresBetween(u0, u1, measured.wallMs / 1000),
      };
      scenarios.push(result);
      const l = measured.latency;
      log(
        `${id}: ${measured.commands} commands, ${measured.errors} errors, ${measured.noops} no-ops, ${measured.throughput.toFixed(0)} cmd/s, ` +
          `p50 ${l.p50.toFixed(2)} p90 ${l.p90.toFixed(2)} p99 ${l.p99.toFixed(2)} max ${l.max.toFixed(2)} ms; ` +
          `control plane ${result.cores.controlPlane?.toFixed(2) ?? '?'} cores, ${result.cores.controlPlane !== undefined ? ((result.cores.controlPlane * 1000) / measured.throughput).toFixed(3) : '?'} ms CPU/command`,
      );
      for (const e of measured.errorSamples) log(`  error: ${e}`);
      if (profile) profileFiles.set(id, profile);
    };
    const profileFiles = new Map<string, string>();

    // (1) one client, toggles cycling over the 200 flags
    await run('sequential', 'Toggle, 1 client (sequential)', 1, PLAN.sequential, (i) => toggle(i % FLAG_COUNT));

    // (2) 16 clients; client c owns flags c, c+16, ... so that no two toggles of one flag race
    const owned = Array.from({ length: CLIENTS }, (_, c) => flags.map((_, f) => f).filter((f) => f % CLIENTS === c));
    const cursor = new Array<number>(CLIENTS).fill(0);
    await run('concurrent', `Toggle, ${CLIENTS} clients, 200 flags`, CLIENTS, PLAN.concurrent, (_, c) => {
      const mine = owned[c]!;
      return toggle(mine[cursor[c]!++ % mine.length]!);
    });

    // (3) 16 clients on one flag, no If-Match: on/off alternate by ticket, so that commands that
    // reach the writer in send order each change the flag; one overtaken by another is a no-op
    const hot = 0;
    await run(
      'hot',
      `Toggle, ${CLIENTS} clients, 1 hot flag`,
      CLIENTS,
      PLAN.hot,
      (i) => ({ method: 'POST', path: `/api/flags/${flags[hot]}/environments/${ENVIRONMENT}/toggle`, body: { on: i % 2 === 0 } }),
      async () => {
        await command(port, token, 'POST', `/api/flags/${flags[hot]}/environments/${ENVIRONMENT}/toggle`, { on: false });
      },
    );

    // (4) full configuration with a rule, one client
    await run('configure', 'Configure (PUT, 1 rule), 1 client', 1, PLAN.configure, (i) => configure(i % FLAG_COUNT));

    // verification: every successful command's events are in the log, once
    await sleep(500);
    const events = await readTopic(kafka, `${prefix}.events`);
    const state = await readTopic(kafka, `${prefix}.flags.${ENVIRONMENT}`);
    const sequences = new Set(events.map((e) => e.sequence));
    const byType: Record<string, number> = {};
    for (const e of events) byType[e.type ?? '?'] = (byType[e.type ?? '?'] ?? 0) + 1;
    const eventsWritten = events.length - baseline.length;
    const verification = {
      baselineEvents: baseline.length,
      eventsInTopic: events.length,
      eventsWrittenDuringRun: eventsWritten,
      commandsSent: ledger.commands,
      commandsSucceeded: ledger.succeeded,
      commandsFailed: ledger.failed,
      noops: ledger.noops,
      commandsThatWroteEvents: ledger.succeeded - ledger.noops,
      eventsReportedByResponses: ledger.events,
      distinctSequences: sequences.size,
      eventsByType: byType,
      onePerCommand: eventsWritten === ledger.succeeded - ledger.noops,
      ok: eventsWritten === ledger.events && eventsWritten === ledger.succeeded - ledger.noops && sequences.size === events.length,
    };
    log(
      `events: ${eventsWritten} written during the run (${events.length} in the topic, ${baseline.length} before set-up); ` +
        `${ledger.succeeded} successful commands, ${ledger.noops} no-ops, ${ledger.events} events in responses → ${verification.ok ? 'MATCH' : 'MISMATCH'}`,
    );

    // group commit: transactions per measured phase, from the commit markers in the state topic
    const txns = transactions(state);
    for (const s of scenarios) {
      const inPhase = txns.filter((t) => t.firstTimestamp >= s.measured.startedAt - 20 && t.firstTimestamp <= s.measured.endedAt + 20);
      s.transactions = inPhase.length;
      s.commandsPerTransaction = inPhase.length ? s.measured.ok / inPhase.length : undefined;
    }

    await stopControlPlane(instance);
    log('control plane stopped');
    const retryTimes = writerRetries(instance.logFile);
    for (const s of scenarios) s.writerRetries = retryTimes.filter((t) => t >= s.measured.startedAt && t <= s.measured.endedAt).length;

    const profileSummaries: Record<string, ProfileSummary> = {};
    for (const [id, file] of profileFiles) {
      profileSummaries[id] = summariseProfile(file);
      printProfile(`${id} (${path.relative(ROOT, file)})`, profileSummaries[id]);
    }

    if (!KEEP_TOPICS) topicsDeleted = await deleteTopics(kafka, prefix);

    const results = {
      benchmark: 'commands',
      date: new Date().toISOString(),
      command: COMMAND,
      quick: QUICK,
      profiled: PROFILE,
      machine,
      setup: { environment: ENVIRONMENT, flags: FLAG_COUNT, clients: CLIENTS, plan: PLAN, readyMs, topicPrefix: prefix, database: dbName, kafkaFloor: floors },
      targets: targetVerdicts(scenarios),
      scenarios,
      verification,
      profiles: PROFILE ? profileSummaries : undefined,
      cleanup: { databaseDropped: true, topicsDeleted },
    };
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(path.join(OUT_DIR, 'results.md'), markdown(results));
    log(`wrote ${path.relative(ROOT, path.join(OUT_DIR, 'results.md'))} and results.json`);
    if (!verification.ok) process.exitCode = 1;
  } finally {
    if (instance && !instance.exited) await stopControlPlane(instance);
    const drop = new Client({ connectionString: ADMIN_DB_URL });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await drop.end();
    log(`database ${dbName} dropped${topicsDeleted.length ? `, ${topicsDeleted.length} topics deleted` : ''}`);
    agent.destroy();
  }
}

function targetVerdicts(scenarios: readonly ScenarioResult[]) {
  const get = (id: string) => scenarios.find((s) => s.id === id);
  const seq = get('sequential');
  const con = get('concurrent');
  const p99 = (s?: ScenarioResult) => s?.measured.latency.p99 ?? NaN;
  return {
    p99Ms: TARGET_P99_MS,
    throughput: TARGET_THROUGHPUT,
    sequentialP99Met: p99(seq) <= TARGET_P99_MS,
    concurrentP99Met: p99(con) <= TARGET_P99_MS,
    concurrentThroughputMet: (con?.measured.throughput ?? 0) >= TARGET_THROUGHPUT,
    noErrors: scenarios.every((s) => s.measured.errors === 0 && s.warmup.errors === 0),
  };
}

// ---------------------------------------------------------------------------------------------
// machine and report

function machineInfo() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const kafkaVersion = (() => {
    try {
      return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(path.join(ROOT, 'infra/kafka/pom.xml'), 'utf8'))?.[1] ?? '4.1.2';
    } catch {
      return '4.1.2';
    }
  })();
  const pkg = (name: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  return {
    cpuModel: model,
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    kafka: `Apache Kafka ${kafkaVersion} (single node, KRaft, replication factor 1, infra/)`,
    kafkajs: pkg('kafkajs'),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

type Results = {
  date: string;
  command: string;
  quick: boolean;
  profiled: boolean;
  machine: ReturnType<typeof machineInfo>;
  setup: { readyMs: number; kafkaFloor: FloorResult[]; topicPrefix: string; plan: typeof PLAN };
  targets: ReturnType<typeof targetVerdicts>;
  scenarios: ScenarioResult[];
  verification: { ok: boolean; onePerCommand: boolean; eventsWrittenDuringRun: number; commandsSucceeded: number; commandsFailed: number; noops: number; eventsReportedByResponses: number; baselineEvents: number; eventsInTopic: number; distinctSequences: number; eventsByType: Record<string, number> };
};

function markdown(r: Results): string {
  const f = (x: number | undefined, d = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
  const yes = (b: boolean) => (b ? '**met**' : '**missed**');
  const seq = r.scenarios.find((s) => s.id === 'sequential');
  const con = r.scenarios.find((s) => s.id === 'concurrent');
  const lines: string[] = [];
  lines.push('# Command benchmark — results', '');
  if (r.quick) lines.push('> **Quick run** (counts divided by 10): smoke test only, figures not meaningful.', '');
  if (r.profiled) lines.push('> **Profiled run**: the control plane ran under the V8 CPU profiler, which slows it down.', '');
  lines.push(
    "Write commands through the control plane's HTTP API, each answered only after its events and the",
    'compacted flag state were committed in one Kafka transaction with `acks=all` (the writer batches',
    'concurrent commands into one transaction). The control plane runs as a separate process',
    '(`node dist/services/control-plane/src/main.js`) against the local broker and Postgres; the',
    'benchmark client (same machine) measures each request with `process.hrtime.bigint()` from',
    'request start to the end of the response body, over keep-alive HTTP/1.1 connections.',
    '',
    `- **Command:** \`${r.command}\` (builds the project and the benchmark; ≈ 1.5 minutes in all)`,
    `- **Date:** ${r.date}`,
    `- **Machine:** ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}; load average at start ${r.machine.loadAverageAtStart.join(' / ')} (shared machine: other work ran concurrently)`,
    `- **Software:** Node ${r.machine.node}, ${r.machine.kafka}, kafkajs ${r.machine.kafkajs}`,
    `- **Set-up:** 1 environment, 200 boolean flags; control plane ready ${(r.setup.readyMs / 1000).toFixed(1)} s after spawn; topics \`${r.setup.topicPrefix}.*\` and a fresh database, both removed afterwards`,
    '',
    '## Results',
    '',
    'Measured phase only (a warm-up phase of the same shape ran first and is discarded). Latency in ms;',
    'cmd/s = commands / wall time of the phase. Every non-2xx reply counts as an error.',
    '',
    '| Scenario | Clients | Commands | Errors | No-ops | cmd/s | p50 | p90 | p99 | max |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of r.scenarios) {
    const m = s.measured;
    const l = m.latency;
    lines.push(`| ${s.title} | ${s.clients} | ${m.commands} | ${m.errors} | ${m.noops} | ${f(m.throughput, 0)} | ${f(l.p50)} | ${f(l.p90)} | ${f(l.p99)} | ${f(l.max)} |`);
  }
  lines.push(
    '',
    'No-ops are 2xx replies that wrote nothing (toggling a flag to the state it already has). Only the',
    'hot-flag scenario can produce them: 16 clients alternate on/off on one flag without If-Match, and a',
    'command overtaken by another reaches the writer when the flag is already in the state it asks for.',
  );
  for (const s of r.scenarios) {
    if (s.measured.errors === 0) continue;
    lines.push('', `Errors in "${s.title}": ${Object.entries(s.measured.errorsByStatus).map(([k, n]) => `${n} × ${k === '0' ? 'no response' : `HTTP ${k}`}`).join(', ')}; first ones:`, '');
    for (const e of s.measured.errorSamples) lines.push(`    ${e.replace(/\n/g, ' ')}`);
  }
  lines.push(
    '',
    '## Targets',
    '',
    '| Target | Measured | |',
    '|---|---|---|',
    `| p99 ≤ ${r.targets.p99Ms} ms, sequential | ${f(seq?.measured.latency.p99)} ms | ${yes(r.targets.sequentialP99Met)} |`,
    `| p99 ≤ ${r.targets.p99Ms} ms, ${CLIENTS} concurrent clients | ${f(con?.measured.latency.p99)} ms | ${yes(r.targets.concurrentP99Met)} |`,
    `| ≥ ${r.targets.throughput.toLocaleString('en')} commands/s, ${CLIENTS} concurrent clients | ${f(con?.measured.throughput, 0)} cmd/s | ${yes(r.targets.concurrentThroughputMet)} |`,
    `| no errors | ${r.scenarios.reduce((a, s) => a + s.measured.errors + s.warmup.errors, 0)} errors | ${yes(r.targets.noErrors)} |`,
    '',
    '## Where the time goes',
    '',
    '| Scenario | client mean | server mean¹ | Kafka transactions² | commands / transaction | CONCURRENT_TRANSACTIONS retries³ | control plane CPU⁴ | broker CPU⁴ | bench client CPU⁴ | machine busy⁴ |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of r.scenarios) {
    lines.push(
      `| ${s.title} | ${f(s.measured.latency.mean)} ms | ${f(s.server.meanMs)} ms | ${s.transactions ?? '–'} | ${f(s.commandsPerTransaction, 1)} | ${s.writerRetries ?? '–'} | ${f(s.cores.controlPlane)} | ${f(s.cores.broker)} | ${f(s.cores.client)} | ${f(s.cores.machine)} of ${r.machine.cores} |`,
    );
  }
  lines.push(
    '',
    "¹ The control plane's own `flagpole_http_request_duration_seconds` (Express middleware to response",
    'finish), read from `/metrics` before and after the phase. ² Counted from the commit markers in the',
    'single-partition state topic (a gap in the offsets of committed records starts a new transaction).',
    "³ kafkajs logs each one as an error (\"Failed to send messages: … another concurrent operation on the",
    "same transaction …\"); counted in the control plane's log. ⁴ CPU seconds per wall-clock second",
    '(1.00 = one core busy), from `/proc` for the control plane and the broker, `process.cpuUsage()` for',
    'the benchmark client; "machine busy" counts every process, including unrelated work.',
    '',
    '**Kafka transaction floor** — the Kafka work of one toggle without HTTP and without the writer: a',
    'kafkajs transactional producer configured as in `EventWriter.connect` (idempotent,',
    '`maxInFlightRequests: 1`, client from `createKafka`) sends one record to a 3-partition topic and',
    'one to a 1-partition topic with `acks=-1` and commits, transactions back to back (as the writer',
    'runs them when commands queue up), once per producer retry setting (the last is the writer\'s).',
    'Latency in ms:',
    '',
    '| Producer | transactions | CONCURRENT_TRANSACTIONS retries | sendBatch p50 / p99 | commit p50 / p99 | transaction p50 | p90 | p99 | max | txn/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const fl of r.setup.kafkaFloor) {
    lines.push(
      `| ${fl.label} | ${fl.transactions} | ${fl.concurrentTransactionRetries} | ${f(fl.send.p50)} / ${f(fl.send.p99)} | ${f(fl.commit.p50)} / ${f(fl.commit.p99)} | ${f(fl.total.p50)} | ${f(fl.total.p90)} | ${f(fl.total.p99)} | ${f(fl.total.max)} | ${f(fl.throughput, 0)} |`,
    );
  }
  const apis = [...new Set(r.setup.kafkaFloor.flatMap((fl) => fl.requests.map((q) => q.api)))];
  lines.push(
    '',
    'Broker requests per transaction (count × mean round trip in ms, from kafkajs `REQUEST` instrumentation events):',
    '',
    `| Producer | ${apis.join(' | ')} |`,
    `|---|${apis.map(() => '---:').join('|')}|`,
  );
  for (const fl of r.setup.kafkaFloor) {
    const cell = (api: string) => {
      const q = fl.requests.find((x) => x.api === api);
      return q ? `${q.perTransaction.toFixed(2)} × ${f(q.meanMs)}` : '–';
    };
    lines.push(`| ${fl.label.replace(/ \(.*$/, '')} | ${apis.map(cell).join(' | ')} |`);
  }
  lines.push(
    '',
    '`sendBatch` is FindCoordinator + AddPartitionsToTxn + Produce; `commit` is FindCoordinator + EndTxn:',
    'kafkajs 2.2.4 looks the transaction coordinator up again before each of the two coordinator requests',
    '(`producer/eosManager/index.js`, `findTransactionCoordinator`), so a transaction costs five round trips.',
    'The broker answers EndTxn before it has written the commit markers; a transaction that starts before',
    'they are written gets `CONCURRENT_TRANSACTIONS` on AddPartitionsToTxn, and kafkajs then refreshes',
    'metadata and waits its retry back-off (± 20 %) before trying again.',
  );
  lines.push(...findings(r), '');
  const v = r.verification;
  lines.push(
    '## Event check',
    '',
    `Read back with a \`read_committed\` consumer (\`TopicReader\`) after the run: **${v.eventsWrittenDuringRun}** events were`,
    `appended to \`<prefix>.events\` during the run (${v.eventsInTopic} in the topic, ${v.baselineEvents} written at start-up for the`,
    `bootstrap token). The benchmark sent ${v.commandsSucceeded + v.commandsFailed} commands (set-up, warm-ups and measured phases): ${v.commandsSucceeded}`,
    `succeeded, ${v.commandsFailed} failed, ${v.noops} were no-ops (the hot flag is reset to off before its warm-up and its measured phase; a reset that finds it off is one); the successful replies listed ${v.eventsReportedByResponses} events, one per`,
    `command that changed something: ${v.onePerCommand ? 'yes' : 'NO'}. Sequence numbers are unique (${v.distinctSequences} distinct).`,
    `**${v.ok ? 'Match: every successful command that changed something is in the log exactly once, and nothing else is.' : 'MISMATCH — see results.json.'}**`,
    '',
    `Events by type: ${Object.entries(v.eventsByType).map(([t, n]) => `${t} ${n}`).join(', ')}.`,
    '',
    '## Method',
    '',
    `- Scenarios, each a warm-up (discarded) then a measured phase: (1) 1 client, ${r.setup.plan.sequential.measured} toggles cycling over the`,
    `  200 flags; (2) ${CLIENTS} clients, ${r.setup.plan.concurrent.measured} toggles in total, client *c* toggling flags *c*, *c*+16, … in turn (so concurrent`,
    `  commands hit different aggregates and each toggle changes its flag); (3) ${CLIENTS} clients, ${r.setup.plan.hot.measured} toggles of one flag, no`,
    `  If-Match, on/off alternating by send order; (4) 1 client, ${r.setup.plan.configure.measured} \`PUT\` configurations with a two-condition rule,`,
    '  alternating between two rule variants per flag. Each client sends its next command as soon as the previous reply has',
    '  been read; the phase ends when the last command is answered.',
    '- Toggles alternate on/off per flag, so every toggle writes one event (no no-op replies outside the hot scenario).',
    '- `bash bench/commands/run.sh --profile` runs the same scenarios with the V8 CPU profiler in the control plane,',
    '  started and stopped around each measured phase, and prints self time by package and by function',
    '  (profiles and that run\'s results in `bench/commands/profiles/`, git-ignored). `--quick` is a smoke run',
    '  (results in `bench/commands/.out/`). See `bench/commands/README.md` for what the profiles showed.',
  );
  return `${lines.join('\n')}\n`;
}

function findings(r: Results): string[] {
  const out: string[] = ['', '### Findings of this run', ''];
  for (const s of r.scenarios) {
    const m = s.measured;
    if (!s.transactions) continue;
    const txnMs = m.wallMs / s.transactions;
    out.push(
      `- ${s.title}: ${s.transactions} transactions in ${f1(m.wallMs / 1000)} s, one every ${f1(txnMs)} ms, ${f1(s.commandsPerTransaction)} commands each on average; ` +
        `${s.writerRetries ?? 0} CONCURRENT_TRANSACTIONS retries (${f1(((s.writerRetries ?? 0) * 100) / s.transactions)} per 100 transactions). ` +
        `Control plane ${f2(s.cores.controlPlane)} cores, broker ${f2(s.cores.broker)}, bench client ${f2(s.cores.client)}.`,
    );
  }
  if (r.setup.kafkaFloor.length > 0) {
    const parts = r.setup.kafkaFloor.map(
      (fl) => `${f1(fl.total.p50)} ms p50 / ${f1(fl.total.p99)} ms p99 with ${fl.label} (${fl.concurrentTransactionRetries} retries in ${fl.transactions} transactions)`,
    );
    out.push(`- Kafka alone, back to back, per transaction: ${parts.join('; ')}.`);
  }
  const con = r.scenarios.find((s) => s.id === 'concurrent');
  if (con && con.cores.controlPlane !== undefined && con.transactions) {
    const cycle = con.measured.wallMs / con.transactions;
    const cpuPerCommand = (con.cores.controlPlane * 1000) / con.measured.throughput;
    out.push(
      `- Concurrent scenario: the control plane used ${f2(con.cores.controlPlane)} of a core, ≈ ${f2(cpuPerCommand)} ms of CPU per command ` +
        `(HTTP, Nest, validation, logging, deciding, encoding, kafkajs, and the follower reading the events back), i.e. ≈ ${f1(cpuPerCommand * (con.commandsPerTransaction ?? 0))} ms ` +
        `of its one thread per ${f1(cycle)} ms transaction cycle. ` +
        (con.cores.controlPlane > 0.8
          ? 'Its event loop is close to saturated, so CPU per command now bounds throughput and adds queueing to the latency.'
          : 'The rest of the cycle it waits for Kafka.') +
        ` With ${CLIENTS} clients the batches settle at about ${CLIENTS / 2}: while one half waits for its transaction, the other half's commands queue up for the next one.`,
    );
  }
  return out;
}

const f1 = (x?: number) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(1));
const f2 = (x?: number) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));

function log(message: string): void {
  console.log(`[bench:commands ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function printProfile(title: string, s: ProfileSummary): void {
  console.log(`\n--- ${title}: control-plane CPU profile, ${s.samples} samples`);
  console.log('by part (leaf-most recognised frame):');
  for (const [name, p] of s.parts) console.log(`${p.toFixed(1).padStart(6)}%  ${name}`);
  console.log('self time by area:');
  for (const [name, p] of s.areas) console.log(`${p.toFixed(1).padStart(6)}%  ${name}`);
  console.log('self time by function:');
  for (const [name, p] of s.functions) console.log(`${p.toFixed(1).padStart(6)}%  ${name}`);
  console.log('inclusive (function on the stack; Flagpole code and packages):');
  for (const [name, p] of s.inclusive) console.log(`${p.toFixed(1).padStart(6)}%  ${name}`);
}

const summarise = option('summarise');
if (summarise) printProfile(summarise, summariseProfile(summarise, 30));
else main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
