import type { Kafka } from 'kafkajs';
import { createKafka, TopicReader } from '@flagpole/kafka';
import { testKafkaSettings } from '../../../test/support/kafka-topics';
import { uniqueName } from '../../../test/support/unique-name';

describe('TopicReader against the real broker', () => {
  let kafka: Kafka;
  let topic: string;

  beforeAll(async () => {
    kafka = createKafka(testKafkaSettings('unused'));
    topic = uniqueName('reader');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    // Committed and aborted transactions: the end offsets include markers and aborted records.
    const producer = kafka.producer({ transactionalId: uniqueName('reader-tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (const outcome of ['commit', 'abort', 'commit'] as const) {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: [0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: `${outcome}-${i}` })) });
      await (outcome === 'commit' ? tx.commit() : tx.abort());
    }
    await producer.disconnect();
    await admin.disconnect();
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('reads every committed record and none of the aborted ones, then stops by itself', async () => {
    const values: string[] = [];
    const reader = new TopicReader({ kafka, topic, tail: false, groupIdPrefix: 'reader-test', onRecord: (r) => void values.push(String(r.message.value)) });
    await reader.start();
    expect(values.sort()).toEqual(['commit-0', 'commit-0', 'commit-1', 'commit-1', 'commit-2', 'commit-2', 'commit-3', 'commit-3']);
  });

  it('hands its consumer to onConsumer and applies consumer settings', async () => {
    const seen: string[] = [];
    const reader = new TopicReader({
      kafka,
      topic,
      tail: false,
      groupIdPrefix: 'reader-test',
      consumerConfig: { maxWaitTimeInMs: 50 },
      onConsumer: (consumer) => consumer.on(consumer.events.GROUP_JOIN, () => void seen.push('joined')),
      onRecord: () => undefined,
    });
    await reader.start();
    expect(seen).toEqual(['joined']);
  });

  it('fails a start() that stop() overtook and leaves no member in its group', async () => {
    const groupIdPrefix = uniqueName('reader-stopped');
    const reader = new TopicReader({ kafka, topic, tail: true, groupIdPrefix, onRecord: () => undefined });
    const starting = reader.start();
    await reader.stop();
    await expect(starting).rejects.toThrow(/was stopped/);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      const ours = groups.filter((g) => g.groupId.startsWith(groupIdPrefix)).map((g) => g.groupId);
      if (ours.length > 0) {
        const described = await admin.describeGroups(ours);
        expect(described.groups.flatMap((g) => g.members)).toEqual([]);
      }
    } finally {
      await admin.disconnect();
    }
  });
});
