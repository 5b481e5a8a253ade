import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaSettings } from './kafka-settings';

/** The four methods kafkajs' log lines are routed to; pino and the SDK's logger both fit. */
export interface KafkaLogSink {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

const LEVELS: Readonly<Record<number, keyof KafkaLogSink>> = {
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
  readonly initialRetryTimeMs?: number;
  readonly retries?: number;
}

/**
 * One place that turns settings into a kafkajs client (TLS and SASL included), routing its logs
 * into our structured logger so broker trouble shows up next to the requests it affected.
 */
export function createKafka(
  // The topic prefix plays no part in connecting; callers without one (the SDK) may omit it.
  settings: Omit<KafkaSettings, 'topicPrefix'> & { readonly topicPrefix?: string },
  logger?: KafkaLogSink,
  timeouts: KafkaTimeouts = {},
): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    sasl: settings.sasl,
    connectionTimeout: timeouts.connectionTimeoutMs ?? 3000,
    requestTimeout: timeouts.requestTimeoutMs ?? 10_000,
    retry: {
      retries: timeouts.retries ?? 5,
      maxRetryTime: timeouts.maxRetryTimeMs ?? 5000,
      initialRetryTime: timeouts.initialRetryTimeMs ?? 100,
    },
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
