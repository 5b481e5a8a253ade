import { createKafka, type KafkaSettings } from '@flagpole/kafka';
import type { Kafka } from 'kafkajs';
import type { FlagpoleLogger } from '../logger';

/** Connection settings the SDK passes to kafkajs when it builds the client itself. */
export interface SdkKafkaSettings extends Pick<KafkaSettings, 'brokers' | 'clientId' | 'ssl' | 'sasl'> {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * A kafkajs client for the SDK: libs/kafka's `createKafka` with short retries (the SDK's own
 * reconnect loop, with backoff, takes over after them) and kafkajs' lines demoted to the SDK
 * logger's debug level — the SDK reports the outcome itself, one warning per failed attempt to
 * read, with the cause.
 */
export function createSdkKafka(settings: SdkKafkaSettings, logger: FlagpoleLogger): Kafka {
  const detail = (fields: Record<string, unknown>, message: string): void => logger.debug(fields, `kafkajs: ${message}`);
  return createKafka(
    { brokers: settings.brokers, clientId: settings.clientId, ssl: settings.ssl, sasl: settings.sasl },
    { error: detail, warn: detail, info: detail, debug: detail },
    { connectionTimeoutMs: settings.connectionTimeoutMs, requestTimeoutMs: settings.requestTimeoutMs, retries: 3, initialRetryTimeMs: 100, maxRetryTimeMs: 1000 },
  );
}
