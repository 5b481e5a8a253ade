/**
 * Propagation benchmark: time from the HTTP 2xx of a flag change (toggle) on the control plane to
 * the SDK's change event in another process, over sequential changes.
 *
 * Processes: this driver; the control plane (`node dist/services/control-plane/src/main.js`, fresh
 * database, unique topic prefix); the SDK in a child process (propagation-child.ts). Timestamps are
 * wall-clock milliseconds with sub-ms resolution (performance.timeOrigin + performance.now()) in
 * both processes; their offset is measured with IPC ping-pong (minimum round trip) and subtracted.
 * The 2xx time is when the response's status line and headers arrived at the driver.
 *
 *   bash bench/sdk/run.sh propagation [--quick] [--no-build] [--max-wait=500]
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  argv,
  benchKafka,
  createDatabase,
  deleteTopicsWithPrefix,
  fmt,
  machine,
  ok,
  percentile,
  QUICK,
  startControlPlane,
  uniqueName,
  wallNow,
  writeResults,
} from './common';

const ENVIRONMENT = 'bench';
const FLAG = 'propagation-probe';
const WARMUP = QUICK ? 20 : 100;
const MEASURED = QUICK ? 100 : 1000;
const TARGET_P50 = 10;
const TARGET_P99 = 50;
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const MAX_WAIT = option('max-wait');

interface ChangeMessage {
  readonly type: 'change';
  readonly key: string;
  readonly version?: number;
  readonly at: number;
}

class SdkProcess {
  private readonly waiting = new Map<number, (at: number) => void>();
  private readonly early = new Map<number, number>();
  private pong: ((m: { t0: number; child: number }) => void) | undefined;
  readonly ready: Promise<unknown>;

  constructor(readonly child: ChildProcess) {
    let markReady!: (status: unknown) => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    child.on('message', (m: { type: string } & Record<string, unknown>) => {
      if (m.type === 'ready') markReady(m.status);
      if (m.type === 'pong') this.pong?.(m as unknown as { t0: number; child: number });
      if (m.type === 'change') {
        const change = m as unknown as ChangeMessage;
        if (change.key !== FLAG || change.version === undefined) return;
        const waiter = this.waiting.get(change.version);
        if (waiter) {
          this.waiting.delete(change.version);
          waiter(change.at);
        } else this.early.set(change.version, change.at);
      }
    });
  }

  /** Resolves with the child's event time for `version` (which may already have arrived). */
  eventFor(version: number, timeoutMs = 10_000): Promise<number | undefined> {
    const seen = this.early.get(version);
    if (seen !== undefined) {
      this.early.delete(version);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(version);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(version, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  /** Child clock minus driver clock, from the ping-pong with the smallest round trip. */
  async clockOffset(rounds = 200): Promise<{ offsetMs: number; minRoundTripMs: number }> {
    let best = { offsetMs: 0, minRoundTripMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < rounds; i++) {
      const reply = new Promise<{ t0: number; child: number }>((resolve) => (this.pong = resolve));
      const t0 = wallNow();
      this.child.send({ type: 'ping', t0 });
      const { child } = await reply;
      const t1 = wallNow();
      if (t1 - t0 < best.minRoundTripMs) best = { offsetMs: child - (t0 + t1) / 2, minRoundTripMs: t1 - t0 };
    }
    return best;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const m = machine();
  const db = await createDatabase();
  const prefix = uniqueName('bench-sdk-prop');
  const kafka = benchKafka();
  let cp: Awaited<ReturnType<typeof startControlPlane>> | undefined;
  let sdk: SdkProcess | undefined;
  try {
    console.log(`[propagation] control plane from dist/ (prefix ${prefix})`);
    cp = await startControlPlane(db.url, prefix);
    ok(await cp.call('POST', '/api/environments', { key: ENVIRONMENT, name: 'Bench' }), 'create environment');
    ok(await cp.call('POST', '/api/flags', { key: FLAG, name: 'Propagation probe' }), 'create flag');

    const child = fork(path.join(__dirname, 'propagation-child.js'), [], {
      env: { ...process.env, BENCH_PREFIX: prefix, BENCH_ENVIRONMENT: ENVIRONMENT, ...(MAX_WAIT ? { BENCH_MAX_WAIT_MS: MAX_WAIT } : {}) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    sdk = new SdkProcess(child);
    const status = await sdk.ready;
    console.log(`[propagation] SDK ready in the child: ${JSON.stringify(status)}`);
    const clock = await sdk.clockOffset();
    console.log(`[propagation] clock offset child − driver ${fmt(clock.offsetMs, 3)} ms (min IPC round trip ${fmt(clock.minRoundTripMs, 3)} ms)`);

    const latencies: number[] = [];
    const fromSend: number[] = [];
    const httpMs: number[] = [];
    let lost = 0;
    let on = false;
    for (let i = 0; i < WARMUP + MEASURED; i++) {
      on = !on;
      const reply = await cp.call('POST', `/api/flags/${FLAG}/environments/${ENVIRONMENT}/toggle`, { on });
      const version = ok(reply, 'toggle').version as number;
      const at = await sdk.eventFor(version);
      if (i < WARMUP) continue;
      if (at === undefined) {
        lost++;
        continue;
      }
      latencies.push(at - clock.offsetMs - reply.headersAt);
      fromSend.push(at - clock.offsetMs - reply.sentAt);
      httpMs.push(reply.headersAt - reply.sentAt);
      if ((i - WARMUP + 1) % 250 === 0) console.log(`[propagation] ${i - WARMUP + 1}/${MEASURED}`);
    }
    const clockAfter = await sdk.clockOffset(100);

    const sorted = [...latencies].sort((a, b) => a - b);
    const http = [...httpMs].sort((a, b) => a - b);
    const sent = [...fromSend].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const stats = {
      changes: MEASURED,
      warmup: WARMUP,
      lost,
      latencyMs: {
        min: sorted[0],
        p50,
        p90: percentile(sorted, 90),
        p99,
        max: sorted[sorted.length - 1],
        mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
        negative: sorted.filter((v) => v < 0).length,
      },
      httpRoundTripMs: { p50: percentile(http, 50), p99: percentile(http, 99) },
      fromRequestSentMs: { p50: percentile(sent, 50), p90: percentile(sent, 90), p99: percentile(sent, 99), max: sent[sent.length - 1] },
      clock: { offsetMs: clock.offsetMs, minRoundTripMs: clock.minRoundTripMs, offsetAfterMs: clockAfter.offsetMs },
      consumer: { maxWaitTimeInMs: MAX_WAIT ? Number(MAX_WAIT) : 500, minBytes: 1 },
      targets: { p50Ms: TARGET_P50, p99Ms: TARGET_P99, met: p50 <= TARGET_P50 && p99 <= TARGET_P99 },
    };
    const l = stats.latencyMs;
    const markdown = `
**Question.** How long after the control plane answers \`2xx\` to a change does an SDK in another
process emit the change event (the new configuration already in place)? Target on loopback:
p50 ≤ ${TARGET_P50} ms, p99 ≤ ${TARGET_P99} ms.

**Set-up.** Control plane from \`dist/\` as a child process (fresh database, unique topic prefix,
\`LOG_LEVEL=warn\`); the SDK (\`FlagpoleClient\`, consumer \`minBytes\` ${stats.consumer.minBytes},
\`maxWaitTimeInMs\` ${stats.consumer.maxWaitTimeInMs}) in a second child process; this driver toggles one flag
over HTTP (keep-alive), ${WARMUP} warm-up then ${MEASURED} measured changes, one at a time (the next
toggle is sent after the event for the previous one arrived). Latency = the child's event time −
the driver's time when the \`2xx\` status line arrived, both \`performance.timeOrigin + performance.now()\`,
corrected by the measured clock offset (child − driver ${fmt(clock.offsetMs, 3)} ms at start,
${fmt(clockAfter.offsetMs, 3)} ms at the end; minimum IPC round trip ${fmt(clock.minRoundTripMs, 3)} ms).

| changes | lost | min | p50 | p90 | p99 | max | mean | HTTP round trip p50 / p99 |
|---|---|---|---|---|---|---|---|---|
| ${MEASURED} | ${lost} | ${fmt(l.min)} ms | **${fmt(l.p50)} ms** | ${fmt(l.p90)} ms | **${fmt(l.p99)} ms** | ${fmt(l.max)} ms | ${fmt(l.mean)} ms | ${fmt(stats.httpRoundTripMs.p50)} / ${fmt(stats.httpRoundTripMs.p99)} ms |

Target p50 ≤ ${TARGET_P50} ms and p99 ≤ ${TARGET_P99} ms: **${stats.targets.met ? 'met' : 'missed'}**.

An upper bound that does not depend on when the control plane answers: from the moment the toggle
request was *sent* to the event, p50 ${fmt(stats.fromRequestSentMs.p50)} ms, p90 ${fmt(stats.fromRequestSentMs.p90)} ms,
p99 ${fmt(stats.fromRequestSentMs.p99)} ms, max ${fmt(stats.fromRequestSentMs.max)} ms (this includes the whole command:
HTTP, decision, the Kafka transaction with \`acks=all\`).

${l.negative > 0 ? `${l.negative} of ${MEASURED} events fired *before* the \`2xx\` reached the driver (the transaction is committed before the control plane answers; the SDK can see it first), hence negative values.` : ''}
`;
    const command = `bash bench/sdk/run.sh propagation${argv.length ? ` ${argv.join(' ')}` : ''}`;
    const dir = writeResults('propagation', { title: 'Propagation: HTTP 2xx → change event in another process', command, machine: m, markdown, data: stats });
    console.log(`[propagation] p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms, lost ${lost}; results in ${dir}`);
  } finally {
    await sdk?.stop().catch(() => undefined);
    await cp?.stop().catch(() => undefined);
    await deleteTopicsWithPrefix(kafka, prefix).catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
