/**
 * The SDK side of the propagation benchmark: a separate process that starts a FlagpoleClient,
 * and reports every flag change event to the parent with the wall-clock time it fired
 * (performance.timeOrigin + performance.now(), comparable across processes on one machine;
 * the parent also measures the offset between the two clocks with ping-pong messages).
 */
import { FlagpoleClient } from '../../../libs/sdk/src';

const send = (message: unknown): void => void process.send?.(message);
const now = (): number => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const maxWait = process.env.BENCH_MAX_WAIT_MS ? Number(process.env.BENCH_MAX_WAIT_MS) : undefined;
  const client = new FlagpoleClient({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
    environment: process.env.BENCH_ENVIRONMENT ?? 'bench',
    topicPrefix: process.env.BENCH_PREFIX ?? 'flagpole',
    startTimeoutMs: 60_000,
    ...(maxWait !== undefined ? { consumer: { maxWaitTimeInMs: maxWait } } : {}),
  });
  client.on('flagChange', (change) => {
    const at = now();
    send({ type: 'change', key: change.key, version: change.version, at });
  });
  process.on('message', (message: { type: string; t0?: number }) => {
    if (message.type === 'ping') send({ type: 'pong', t0: message.t0, child: now() });
    if (message.type === 'stop') void client.close().then(() => process.exit(0));
  });
  const status = await client.start();
  send({ type: 'ready', status });
}

void main();
