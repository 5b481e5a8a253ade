import { encodeEvent, ensureEventsTopic, topicNames } from '@flagpole/kafka';
import type { Kafka } from 'kafkajs';
import { historyChunks, type HistoryOptions } from './history';

export interface Published {
  readonly events: number;
  readonly bytes: number;
  readonly lastSequence: number;
  readonly firstTime: string;
  readonly lastTime: string;
  readonly seconds: number;
  /** Events per type. */
  readonly types: Readonly<Record<string, number>>;
  /** Aggregates per type. */
  readonly aggregates: Readonly<Record<string, number>>;
}

/**
 * Writes a generated history to `<prefix>.events` as the writer does: keyed by aggregate id, one
 * Kafka transaction per chunk, with an idempotent transactional producer. The next chunk is
 * generated while the broker works on the current transaction.
 */
export async function publishHistory(kafka: Kafka, prefix: string, count: number, options: HistoryOptions = {}): Promise<Published> {
  const started = performance.now();
  const names = topicNames(prefix);
  const admin = kafka.admin();
  await admin.connect();
  await ensureEventsTopic(admin, names);
  await admin.disconnect();
  const producer = kafka.producer({ transactionalId: `${prefix}.bench-generator`, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  let events = 0;
  let bytes = 0;
  let lastSequence = 0;
  let firstTime = '';
  let lastTime = '';
  const types: Record<string, number> = {};
  const aggregateIds = new Set<string>();
  let inflight: Promise<void> | undefined;
  try {
    for (const chunk of historyChunks(count, options)) {
      const messages = chunk.map(encodeEvent);
      for (const m of messages) bytes += Buffer.byteLength(m.value as string);
      for (const e of chunk) {
        types[e.type] = (types[e.type] ?? 0) + 1;
        aggregateIds.add(e.aggregateId);
      }
      events += chunk.length;
      firstTime ||= chunk[0]!.time;
      lastTime = chunk[chunk.length - 1]!.time;
      lastSequence = chunk[chunk.length - 1]!.sequence;
      await inflight;
      inflight = (async () => {
        const transaction = await producer.transaction();
        try {
          await transaction.send({ topic: names.events, messages, acks: -1 });
          await transaction.commit();
        } catch (error) {
          await transaction.abort().catch(() => undefined);
          throw error;
        }
      })();
      // The generator runs synchronously; let the transaction's requests go out first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await inflight;
  } finally {
    await producer.disconnect();
  }
  const aggregates: Record<string, number> = {};
  for (const id of aggregateIds) {
    const type = id.slice(0, id.indexOf(':'));
    aggregates[type] = (aggregates[type] ?? 0) + 1;
  }
  return { events, bytes, lastSequence, firstTime, lastTime, seconds: (performance.now() - started) / 1000, types, aggregates };
}
