import type { Admin, ITopicConfig } from 'kafkajs';
import type { TopicNames } from './topic-names';

export interface TopicLayout {
  /** Partitions of the log of record; events are keyed by aggregate id, so order holds per aggregate. */
  readonly eventPartitions: number;
  readonly flagPartitions: number;
  readonly replicationFactor: number;
}

export const defaultTopicLayout: TopicLayout = { eventPartitions: 3, flagPartitions: 1, replicationFactor: 1 };

/** Kept forever: it is the log of record (DESIGN.md decision 1). */
export function eventsTopicConfig(name: string, layout: TopicLayout): ITopicConfig {
  return {
    topic: name,
    numPartitions: layout.eventPartitions,
    replicationFactor: layout.replicationFactor,
    configEntries: [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: '-1' },
      { name: 'retention.bytes', value: '-1' },
      { name: 'min.insync.replicas', value: String(Math.min(2, layout.replicationFactor)) },
    ],
  };
}

/**
 * Latest configuration per flag/segment. Tombstones stay a day so an SDK that was briefly
 * away still sees a flag disappear; compaction may start as soon as a record is superseded.
 */
export function flagsTopicConfig(name: string, layout: TopicLayout): ITopicConfig {
  return {
    topic: name,
    numPartitions: layout.flagPartitions,
    replicationFactor: layout.replicationFactor,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.compaction.lag.ms', value: '0' },
      { name: 'delete.retention.ms', value: '86400000' },
      { name: 'segment.ms', value: '3600000' },
      { name: 'min.cleanable.dirty.ratio', value: '0.1' },
      { name: 'min.insync.replicas', value: String(Math.min(2, layout.replicationFactor)) },
    ],
  };
}

/** Creates the topics that are missing; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, topics: readonly ITopicConfig[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({ topics: [...missing], waitForLeaders: true });
  } catch (error) {
    // Another instance may have created it between our list and create.
    if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
  }
}

export async function ensureEventsTopic(admin: Admin, names: TopicNames, layout = defaultTopicLayout): Promise<void> {
  await ensureTopics(admin, [eventsTopicConfig(names.events, layout)]);
}

export async function ensureFlagsTopics(
  admin: Admin,
  names: TopicNames,
  environments: readonly string[],
  layout = defaultTopicLayout,
): Promise<void> {
  await ensureTopics(admin, environments.map((env) => flagsTopicConfig(names.flags(env), layout)));
}
