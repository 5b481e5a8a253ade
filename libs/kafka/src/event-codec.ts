import type { CompactedRecord, EventEnvelope, FlagStateRecord, SegmentStateRecord } from '@flagpole/domain';
import type { KafkaMessage, Message } from 'kafkajs';

/**
 * Events are keyed by aggregate id (one aggregate's events stay in one partition, in order)
 * and carry type and sequence as headers so tools can filter without parsing the value.
 */
export function encodeEvent(event: EventEnvelope): Message {
  return {
    key: event.aggregateId,
    value: JSON.stringify(event),
    headers: { 'flagpole-type': event.type, 'flagpole-sequence': String(event.sequence) },
  };
}

export function decodeEvent(message: KafkaMessage): EventEnvelope {
  if (!message.value) throw new Error(`event record at offset ${message.offset} has no value`);
  return JSON.parse(message.value.toString('utf8')) as EventEnvelope;
}

export function encodeStateRecord(record: CompactedRecord): Message {
  return { key: record.key, value: record.value === null ? null : JSON.stringify(record.value) };
}

export type DecodedStateRecord =
  | { readonly kind: 'flag' | 'segment'; readonly key: string; readonly value: FlagStateRecord | SegmentStateRecord }
  | { readonly kind: 'flag' | 'segment'; readonly key: string; readonly value: null };

/** Reads a compacted-topic record; returns undefined for keys this version does not know. */
export function decodeStateRecord(message: KafkaMessage): DecodedStateRecord | undefined {
  const key = message.key?.toString('utf8') ?? '';
  const slash = key.indexOf('/');
  const kind = key.slice(0, slash);
  if (slash < 0 || (kind !== 'flag' && kind !== 'segment')) return undefined;
  const name = key.slice(slash + 1);
  if (!message.value) return { kind, key: name, value: null };
  return { kind, key: name, value: JSON.parse(message.value.toString('utf8')) as FlagStateRecord | SegmentStateRecord };
}
