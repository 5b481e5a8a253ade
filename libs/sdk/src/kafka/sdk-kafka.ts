import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { FlagpoleLogger } from '../logger';

// kafkajs logs every failed request and retry; the SDK reports the outcome itself (one warning
// per failed attempt to read, with the cause), so kafkajs' own lines are detail.
const LEVELS: Readonly<Record<number, 'debug'>> = {
  [logLevel.ERROR]: 'debug',
  [logLevel.WARN]: 'debug',
  [logLevel.INFO]: 'debug',
  [logLevel.DEBUG]: 'debug',
};

/** Connection settings the SDK passes to kafkajs when it builds the client itself. */
export interface SdkKafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: KafkaConfig['ssl'];
  readonly sasl?: KafkaConfig['sasl'];
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * A kafkajs client for the SDK. Like `createKafka` in libs/kafka, but with TLS/SASL (services run
 * against secured clusters) and logs routed to the SDK's logger interface rather than pino. Its
 * retries are short: the SDK's own reconnect loop (with backoff) takes over after them.
 */
export function createSdkKafka(settings: SdkKafkaSettings, logger: FlagpoleLogger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    sasl: settings.sasl,
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.WARN,
    // kafkajs lines at ERROR and WARN go to the SDK logger's debug level (see LEVELS).
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        const { message, ...rest } = log;
        logger[LEVELS[level] ?? 'debug']({ kafka: namespace, ...rest }, `kafkajs: ${message}`);
      },
  });
}
