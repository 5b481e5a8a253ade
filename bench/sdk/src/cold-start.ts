/**
 * Cold-start benchmark: time to ready and heap held by a FlagpoleClient for a topic holding
 * 10,000 and 100,000 flags (targets ≤ 1 s and ≤ 3 s), with the SDK's breakdown of where the time
 * goes (end offsets, consumer-group join, reading, compiling).
 *
 * The topic is written like the control plane writes it (transactional producer, 1,000 records per
 * transaction, `flag/<key>` → FlagStateRecord), with flags shaped like bench/evaluation's S5 (one
 * rule `country in [two countries]`). Every start is a fresh `node --expose-gc` process.
 *
 *   bash bench/sdk/run.sh cold-start [--quick]
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { FlagDefinition } from '../../../libs/evaluation/src';
import { buildS5Flags } from '../../evaluation/src/data';
import { flagpoleS5Flag } from '../../evaluation/src/engines/flagpole';
import { argv, benchKafka, createFlagsTopic, deleteTopicsWithPrefix, flagStateMessage, fmt, machine, median, QUICK, uniqueName, writeFlagRecords, writeResults } from './common';

const ENVIRONMENT = 'production'; // the environment bench/evaluation's definitions are configured for
const SIZES = QUICK ? [10_000, 100_000] : [10_000, 100_000];
const RUNS = QUICK ? 2 : 5;
const TARGETS: Readonly<Record<number, number>> = { 10_000: 1000, 100_000: 3000 };

interface ChildResult {
  readonly readyMs: number;
  readonly state: string;
  readonly flags: number;
  readonly startup: Record<string, number>;
  readonly heapUsedMB: number;
  readonly externalMB: number;
  readonly rssMB: number;
  readonly probe: string;
}

function startOnce(prefix: string, probe: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'cold-start-child.js'), [], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, BENCH_PREFIX: prefix, BENCH_ENVIRONMENT: ENVIRONMENT, BENCH_PROBE: probe },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ChildResult | undefined;
    child.on('message', (m: ChildResult) => (result = m));
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`cold-start child exited with ${code}`))));
  });
}

function flagsOf(count: number): FlagDefinition[] {
  return buildS5Flags(count).map(flagpoleS5Flag);
}

async function main(): Promise<void> {
  const m = machine();
  const kafka = benchKafka();
  const prefix = uniqueName('bench-sdk-cold');
  const rows: Array<{ flags: number; topicBytesMB: number; runs: ChildResult[] }> = [];
  try {
    for (const size of SIZES) {
      const sizePrefix = `${prefix}-${size}`;
      const topic = `${sizePrefix}.flags.${ENVIRONMENT}`;
      await createFlagsTopic(kafka, topic);
      const definitions = flagsOf(size);
      const records = definitions.map((flag, i) => flagStateMessage(ENVIRONMENT, flag, 2, i + 1));
      const bytes = records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r.value)) + r.key.length, 0);
      const t0 = Date.now();
      await writeFlagRecords(kafka, topic, records);
      console.log(`[cold-start] ${size} flags written (${fmt(bytes / 2 ** 20, 1)} MB of values) in ${Date.now() - t0} ms`);
      const runs: ChildResult[] = [];
      for (let r = 0; r < RUNS; r++) {
        const result = await startOnce(sizePrefix, definitions[definitions.length - 1].key);
        if (result.state !== 'READY' || result.flags !== size) throw new Error(`run ${r}: ${JSON.stringify(result)}`);
        runs.push(result);
        console.log(`[cold-start] ${size} flags: ready in ${fmt(result.readyMs, 0)} ms ${JSON.stringify(result.startup)}, heap ${fmt(result.heapUsedMB, 1)} MB`);
      }
      rows.push({ flags: size, topicBytesMB: bytes / 2 ** 20, runs });
    }
  } finally {
    for (const size of SIZES) await deleteTopicsWithPrefix(kafka, `${prefix}-${size}`).catch(() => undefined);
  }

  const phase = (runs: ChildResult[], from: string | undefined, to: string): number =>
    median(runs.map((r) => (r.startup[to] ?? Number.NaN) - (from ? (r.startup[from] ?? Number.NaN) : 0)));
  const table = rows.map(({ flags, topicBytesMB, runs }) => {
    const ready = median(runs.map((r) => r.readyMs));
    return {
      flags,
      topicBytesMB,
      readyMs: ready,
      readyMinMs: Math.min(...runs.map((r) => r.readyMs)),
      readyMaxMs: Math.max(...runs.map((r) => r.readyMs)),
      targetMs: TARGETS[flags],
      met: ready <= TARGETS[flags],
      phasesMs: {
        endOffsets: phase(runs, undefined, 'endOffsets'),
        groupJoin: phase(runs, 'endOffsets', 'groupJoined'),
        firstRecord: phase(runs, 'groupJoined', 'firstRecord'),
        read: phase(runs, 'firstRecord', 'caughtUp'),
        compile: phase(runs, 'caughtUp', 'ready'),
      },
      heapUsedMB: median(runs.map((r) => r.heapUsedMB)),
      bytesPerFlag: (median(runs.map((r) => r.heapUsedMB)) * 2 ** 20) / flags,
      rssMB: median(runs.map((r) => r.rssMB)),
      runs,
    };
  });
  const markdown = `
**Question.** How long does a fresh \`FlagpoleClient\` take to be *ready* (topic read to the end
offsets captured at start, configuration compiled and in place) with 10,000 and 100,000 flags in
\`<prefix>.flags.<env>\`, and how much heap does it then hold? Targets: ≤ 1 s and ≤ 3 s.

**Set-up.** Flags shaped like bench/evaluation's S5 (one rule \`country in [two countries]\`, fallthrough
off), written as the control plane writes them (\`flag/<key>\` → \`FlagStateRecord\`, transactional
producer, 1,000 records per transaction, so the topic also holds commit markers), one partition.
Each start is a new \`node --expose-gc\` process; ${RUNS} starts per size, medians reported. Time is
measured from \`new FlagpoleClient(…)\` to \`start()\` resolving ready; the phases come from the
client's own \`status().startup\`. Heap = \`heapUsed\` after a full GC with the client ready minus
before it was created (modules already loaded).

| flags | topic values | ready (median) | min – max | target | phases: end offsets · group join · first record · read · compile | heap held | per flag | RSS |
|---|---|---|---|---|---|---|---|---|
${table
  .map(
    (t) =>
      `| ${t.flags.toLocaleString('en-US')} | ${fmt(t.topicBytesMB, 1)} MB | **${fmt(t.readyMs, 0)} ms** | ${fmt(t.readyMinMs, 0)} – ${fmt(t.readyMaxMs, 0)} ms | ≤ ${t.targetMs} ms: **${t.met ? 'met' : 'missed'}** | ${fmt(t.phasesMs.endOffsets, 0)} · ${fmt(t.phasesMs.groupJoin, 0)} · ${fmt(t.phasesMs.firstRecord, 0)} · ${fmt(t.phasesMs.read, 0)} · ${fmt(t.phasesMs.compile, 0)} ms | ${fmt(t.heapUsedMB, 1)} MB | ${fmt(t.bytesPerFlag, 0)} B | ${fmt(t.rssMB, 0)} MB |`,
  )
  .join('\n')}

Phases: *end offsets* = connecting and capturing the end offsets (admin client); *group join* =
creating the consumer, joining its private consumer group and getting the partitions (this broker
runs with \`group.initial.rebalance.delay.ms=0\`; a broker with the default 3 s adds 3 s here, see
the README); *first record* = the first fetch; *read* = fetching and decoding every record into the
staging map; *compile* = validating and compiling every definition into the engine's store.
`;
  const command = `bash bench/sdk/run.sh cold-start${argv.length ? ` ${argv.join(' ')}` : ''}`;
  const dir = writeResults('cold-start', { title: 'Cold start: time to ready and heap', command, machine: m, markdown, data: table });
  console.log(`[cold-start] results in ${dir}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
