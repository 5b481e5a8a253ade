import type { CompactedRecord, FlagStateRecord, SegmentStateRecord } from '@flagpole/domain';
import type { FlagDefinition, FlagEnvironmentConfig, SegmentDefinition } from '@flagpole/evaluation';
import { createKafka, encodeStateRecord, flagsTopicConfig, kafkaSettingsFromEnv, type TopicLayout } from '@flagpole/kafka';
import type { Kafka } from 'kafkajs';
import { uniqueName } from '../../../../test/support/unique-name';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/** The shared test broker, as the other suites reach it. */
export function testBrokers(): string[] {
  return [...kafkaSettingsFromEnv(process.env).brokers];
}

export function testKafka(brokers: readonly string[] = testBrokers()): Kafka {
  return createKafka({ brokers, clientId: 'flagpole-sdk-test', topicPrefix: 'unused' });
}

/** A boolean flag record as the control plane writes it (`flagStateRecord` in libs/domain). */
export function flagRecord(
  environment: string,
  key: string,
  config: Partial<FlagEnvironmentConfig> = {},
  version = 1,
  extra: Partial<Pick<FlagDefinition, 'type' | 'variants'>> = {},
): FlagStateRecord {
  const flag: FlagDefinition = {
    key,
    type: extra.type ?? 'boolean',
    variants: extra.variants ?? { on: true, off: false },
    environments: { [environment]: { on: true, offVariant: 'off', fallthrough: { variant: 'on' }, ...config } },
  };
  return { kind: 'flag', flag, version, sequence: version, updatedAt: new Date().toISOString() };
}

export function segmentRecord(segment: SegmentDefinition, version = 1): SegmentStateRecord {
  return { kind: 'segment', segment, version, sequence: version, updatedAt: new Date().toISOString() };
}

export function stateMessage(environment: string, value: FlagStateRecord | SegmentStateRecord): CompactedRecord {
  const key = value.kind === 'flag' ? `flag/${value.flag.key}` : `segment/${value.segment.key}`;
  return { environment, key, value };
}

export function tombstone(environment: string, kind: 'flag' | 'segment', key: string): CompactedRecord {
  return { environment, key: `${kind}/${key}`, value: null };
}

/** Creates `<prefix>.flags.<environment>` with the control plane's settings (and `partitions`). */
export async function createFlagsTopic(kafka: Kafka, topic: string, partitions = 1, overrides: Record<string, string> = {}): Promise<void> {
  const layout: TopicLayout = { eventPartitions: 1, flagPartitions: partitions, replicationFactor: 1 };
  const config = flagsTopicConfig(topic, layout);
  const entries = [...(config.configEntries ?? []).filter((e) => !(e.name in overrides)), ...Object.entries(overrides).map(([name, value]) => ({ name, value }))];
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ ...config, configEntries: entries }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...topics] });
  } catch {
    // best effort
  } finally {
    await admin.disconnect();
  }
}

/**
 * Writes records like the control plane's writer: a transactional, idempotent producer, so the
 * topic carries commit markers. `perTransaction` records per transaction; `partition` pins them.
 */
export class StateWriter {
  private readonly producer;
  private connected = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {
    this.producer = this.kafka.producer({ transactionalId: uniqueName('sdk-test-writer'), idempotent: true, maxInFlightRequests: 1 });
  }

  async write(records: readonly CompactedRecord[], options: { perTransaction?: number; partition?: number; abort?: boolean } = {}): Promise<void> {
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
    const size = options.perTransaction ?? 1000;
    for (let i = 0; i < records.length; i += size) {
      const transaction = await this.producer.transaction();
      const messages = records.slice(i, i + size).map((r) => ({ ...encodeStateRecord(r), ...(options.partition !== undefined ? { partition: options.partition } : {}) }));
      const sent = await transaction.send({ topic: this.topic, messages, acks: -1 });
      if (options.abort) await transaction.abort();
      else await transaction.commit();
      for (const meta of sent) {
        const count = messages.filter((m) => m.partition === undefined || m.partition === meta.partition).length;
        const last = BigInt(meta.baseOffset ?? '0') + BigInt(sent.length === 1 ? messages.length : count);
        await this.waitForMarker(meta.partition, last + 1n);
      }
    }
  }

  /**
   * A commit returns once the coordinator has decided, before the markers are in the partitions:
   * wait until the last stable offset (what a read_committed reader sees as the end) passes ours,
   * so a client started next captures an end that includes these records.
   */
  private async waitForMarker(partition: number, lastStable: bigint): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (let i = 0; i < 500; i++) {
        const offsets = await admin.fetchTopicOffsets(this.topic);
        const high = offsets.find((o) => o.partition === partition)?.high;
        if (high !== undefined && BigInt(high) >= lastStable) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`the transaction markers of ${this.topic}[${partition}] did not appear`);
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
