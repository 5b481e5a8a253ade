import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSettings } from './kafka-settings';

const LEVELS: Readonly<Record<number, 'error' | 'warn' | 'info' | 'debug'>> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaTimeouts {
  /** How long to wait for a broker connection before a request fails. */
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Total time kafkajs may spend retrying one operation. */
  readonly maxRetryTimeMs?: number;
  readonly retries?: number;
}

/**
 * One place that turns settings into a kafkajs client, routing its logs into our structured
 * logger so broker trouble shows up next to the requests it affected.
 */
export function createKafka(settings: KafkaSettings, logger?: Logger, timeouts: KafkaTimeouts = {}): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: timeouts.connectionTimeoutMs ?? 3000,
    requestTimeout: timeouts.requestTimeoutMs ?? 10_000,
    retry: { retries: timeouts.retries ?? 5, maxRetryTime: timeouts.maxRetryTimeMs ?? 5000, initialRetryTime: 100 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        if (!logger) return;
        const { message, ...rest } = log;
        logger[LEVELS[level] ?? 'info']({ kafka: namespace, ...rest }, message);
      },
  });
}
