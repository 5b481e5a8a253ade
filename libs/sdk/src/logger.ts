/**
 * Where the SDK writes what it does: state changes, Kafka trouble, refused records. The shape is
 * pino's (`logger.warn({ fields }, 'message')`), so a pino logger can be passed as it is; any
 * other logging library needs a four-method adapter.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import { FlagpoleClient } from '@flagpole/sdk';
 *
 * const client = new FlagpoleClient({
 *   brokers: ['kafka-1:9092'],
 *   environment: 'production',
 *   logger: pino({ name: 'flagpole-sdk' }),
 * });
 * ```
 */
export interface FlagpoleLogger {
  /** Detail useful when debugging the SDK (every generation of the Kafka reader, snapshot writes). */
  debug(fields: Record<string, unknown>, message: string): void;
  /** Normal life-cycle events: ready, reconnected. */
  info(fields: Record<string, unknown>, message: string): void;
  /** Degraded but working: serving a snapshot, Kafka unreachable, a record refused. */
  warn(fields: Record<string, unknown>, message: string): void;
  /** Something failed that the SDK cannot work around by itself (a snapshot that cannot be written). */
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * A logger that drops everything: the default, so the SDK never writes to the console unasked.
 *
 * @example
 * ```ts
 * import { FlagpoleClient, silentLogger } from '@flagpole/sdk';
 *
 * const client = new FlagpoleClient({ brokers: ['localhost:9092'], environment: 'dev', logger: silentLogger });
 * ```
 */
export const silentLogger: FlagpoleLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

/** @internal */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
