/**
 * One cold start, in a fresh `node --expose-gc` process: a FlagpoleClient reads the topic to its
 * end. Reports the time from `new FlagpoleClient` + `start()` to ready, the SDK's own breakdown
 * (status.startup), and the heap held after a full GC with the client ready, minus the heap
 * before (modules loaded, nothing read).
 */
import { FlagpoleClient } from '../../../libs/sdk/src';

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) collect();
};

async function main(): Promise<void> {
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const client = new FlagpoleClient({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
    environment: process.env.BENCH_ENVIRONMENT ?? 'bench',
    topicPrefix: process.env.BENCH_PREFIX ?? 'flagpole',
    startTimeoutMs: 300_000,
  });
  const status = await client.start();
  const readyMs = performance.now() - t0;
  gc();
  const after = process.memoryUsage();
  // Evaluate one flag so the client is demonstrably usable (and nothing is collected early).
  const probe = client.getBooleanDetails(process.env.BENCH_PROBE ?? 'none', false, { country: 'US' });
  process.send?.({
    readyMs,
    state: status.state,
    flags: status.flags,
    startup: status.startup,
    heapUsedMB: (after.heapUsed - before.heapUsed) / 2 ** 20,
    externalMB: (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / 2 ** 20,
    rssMB: after.rss / 2 ** 20,
    probe: probe.reason,
  });
  await client.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
