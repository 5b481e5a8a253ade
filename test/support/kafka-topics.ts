import { createKafka, decodeEvent, decodeStateRecord, kafkaSettingsFromEnv, TopicReader, type DecodedStateRecord } from '@flagpole/kafka';
import type { EventEnvelope } from '@flagpole/domain';
import type { KafkaMessage } from 'kafkajs';

export const testKafkaSettings = (topicPrefix: string) => ({ ...kafkaSettingsFromEnv(process.env, 'flagpole-test'), topicPrefix });

/** Every committed record of a topic, read as a `read_committed` consumer would. */
export async function readCommitted(topic: string): Promise<KafkaMessage[]> {
  const kafka = createKafka(testKafkaSettings('unused'));
  const messages: KafkaMessage[] = [];
  const reader = new TopicReader({ kafka, topic, tail: false, groupIdPrefix: 'flagpole-test', onRecord: (r) => void messages.push(r.message) });
  await reader.start();
  return messages;
}

export async function readEvents(prefix: string): Promise<EventEnvelope[]> {
  const events = (await readCommitted(`${prefix}.events`)).map(decodeEvent);
  return events.sort((a, b) => a.sequence - b.sequence);
}

/** The compacted topic as an SDK would rebuild it: the last record per key, tombstones as null. */
export async function readFlagState(prefix: string, environment: string): Promise<Map<string, DecodedStateRecord>> {
  const latest = new Map<string, DecodedStateRecord>();
  for (const message of await readCommitted(`${prefix}.flags.${environment}`)) {
    const record = decodeStateRecord(message);
    if (record) latest.set(`${record.kind}/${record.key}`, record);
  }
  return latest;
}
