import type { EventEnvelope } from '@flagpole/domain';
import { encodeEvent, ensureEventsTopic, topicNames } from '@flagpole/kafka';
import type { Kafka, Message } from 'kafkajs';

export { generateHistory } from '../../../../libs/read-model/test/support/history';

/**
 * Writes events to `<prefix>.events` as the writer does: keyed by aggregate, in transactions of
 * `perTransaction` events, read_committed-visible only once committed.
 */
export async function publishEvents(kafka: Kafka, prefix: string, events: readonly EventEnvelope[], perTransaction = 500): Promise<void> {
  await publishMessages(kafka, prefix, events.map(encodeEvent), perTransaction);
}

export async function publishMessages(kafka: Kafka, prefix: string, messages: readonly Message[], perTransaction = 500): Promise<void> {
  const names = topicNames(prefix);
  const admin = kafka.admin();
  await admin.connect();
  await ensureEventsTopic(admin, names);
  await admin.disconnect();
  const producer = kafka.producer({ transactionalId: `${prefix}.generator.${Date.now()}`, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += perTransaction) {
      const transaction = await producer.transaction();
      await transaction.send({ topic: names.events, messages: messages.slice(i, i + perTransaction) as Message[], acks: -1 });
      await transaction.commit();
    }
  } finally {
    await producer.disconnect();
  }
}
