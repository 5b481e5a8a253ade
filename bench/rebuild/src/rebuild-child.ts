/**
 * One rebuild in a process of its own (so the generator's heap and JIT state are not in it):
 *   node rebuild-child.js <topic-prefix> <database-url> <maxBatch|default>
 * Runs the rebuild command's code (rebuildReadModel: migrations, replay, index build, checksum,
 * swap into read_model) and prints one JSON line with its result, the Postgres write time the
 * pipeline observed, and this process's CPU time.
 */
import * as fs from 'node:fs';
import { createKafka, kafkaSettingsFromEnv, topicNames } from '@flagpole/kafka';
import pino from 'pino';
import { rebuildReadModel } from '../../../services/projector/src/rebuild/rebuild-read-model';

/** REBUILD_TRACE=1: every batch committed and every idle stretch of the replay, on stderr. */
const TRACE = process.env.REBUILD_TRACE === '1';

async function main(): Promise<void> {
  const [prefix, databaseUrl, maxBatchArg] = process.argv.slice(2);
  if (!prefix || !databaseUrl) throw new Error('usage: rebuild-child <topic-prefix> <database-url> [maxBatch]');
  const kafka = createKafka({ ...kafkaSettingsFromEnv(process.env, 'flagpole-bench-rebuild'), topicPrefix: prefix });
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const writes = { batches: 0, events: 0, seconds: 0 };
  // Where the replay's pump stood idle (see ProjectionObserver.waited), seconds by cause.
  const waits = { postgres: 0, checker: 0, fetch: 0 };
  // CPU used up to the last batch committed: the replay's share (index build and checksum follow).
  let replayCpu = { user: 0, system: 0 };
  let replayMainThreadCpu = 0;
  const mainThreadBefore = mainThreadCpuSeconds();
  let replayEndedAt = 0;
  const cpuBefore = process.cpuUsage();
  const maxBatch = maxBatchArg && maxBatchArg !== 'default' ? Number(maxBatchArg) : undefined;
  const result = await rebuildReadModel({
    kafka,
    topic: topicNames(prefix).events,
    databaseUrl,
    logger,
    ...(maxBatch ? { maxBatch } : {}),
    // An A/B knob: REBUILD_RECORD_CHECK=inline parses and hashes records on the main thread.
    ...(process.env.REBUILD_RECORD_CHECK === 'inline' ? { recordCheck: 'inline' as const } : {}),
    observer: {
      applied: (batch, seconds) => {
        writes.batches += 1;
        writes.events += batch.events.length;
        writes.seconds += seconds;
        if (TRACE) process.stderr.write(`applied ${batch.events.length} in ${seconds.toFixed(3)} at ${(performance.now() / 1000).toFixed(3)}\n`);
        replayCpu = process.cpuUsage(cpuBefore);
        replayMainThreadCpu = mainThreadCpuSeconds() - mainThreadBefore;
        replayEndedAt = Date.now();
      },
      waited: (on, seconds) => {
        waits[on] += seconds;
        if (TRACE) process.stderr.write(`wait ${on} ${seconds.toFixed(3)} at ${(performance.now() / 1000).toFixed(3)}\n`);
      },
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const out = {
    events: result.events,
    sequence: result.sequence,
    replaySeconds: result.replaySeconds,
    eventsPerSecond: result.eventsPerSecond,
    totalSeconds: result.totalSeconds,
    endToEndEventsPerSecond: Math.round(result.events / result.totalSeconds),
    checksum: result.checksum.checksum,
    batches: writes.batches,
    writeSeconds: writes.seconds,
    replayWaitSeconds: waits,
    indexSeconds: result.indexSeconds,
    checksumSeconds: result.checksumSeconds,
    nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
    replayNodeCpuSeconds: (replayCpu.user + replayCpu.system) / 1e6,
    replayMainThreadCpuSeconds: replayMainThreadCpu,
    replayStartedAt: replayEndedAt - result.replaySeconds * 1000,
    replayEndedAt,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/**
 * CPU seconds of this process's main thread alone (/proc, 10 ms ticks): process.cpuUsage() also
 * counts the hash-check worker, V8's GC helpers and libuv's pool, and the replay is bound by the
 * main thread.
 */
function mainThreadCpuSeconds(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
