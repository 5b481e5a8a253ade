import type { Kafka, KafkaConfig } from 'kafkajs';
import type { FlagpoleLogger } from '../logger';

/**
 * How a {@link FlagpoleClient} reaches Kafka and behaves when it cannot. Only `environment` and
 * either `brokers` or `kafka` are required; the defaults suit a service on the same network as
 * its brokers.
 *
 * @example
 * ```ts
 * const client = new FlagpoleClient({
 *   brokers: ['kafka-1:9092', 'kafka-2:9092'],
 *   environment: 'production',
 *   topicPrefix: 'flagpole',                            // reads flagpole.flags.production
 *   snapshotPath: '/var/lib/checkout/flagpole.json',    // survives restarts while Kafka is down
 *   startTimeoutMs: 5000,
 *   logger: pino(),
 * });
 * ```
 */
export interface FlagpoleClientOptions {
  /** Environment whose flags to serve: the client reads `<topicPrefix>.flags.<environment>`. */
  readonly environment: string;
  /** Bootstrap brokers (`host:port`). Required unless `kafka` is given. */
  readonly brokers?: readonly string[];
  /**
   * A kafkajs client to use instead of building one (for settings the SDK does not expose). The
   * client then keeps kafkajs' retry settings of that instance for connections and admin calls.
   */
  readonly kafka?: Kafka;
  /** kafkajs client id; default `flagpole-sdk`. */
  readonly clientId?: string;
  /** TLS settings passed to kafkajs. */
  readonly ssl?: KafkaConfig['ssl'];
  /** SASL settings passed to kafkajs. */
  readonly sasl?: KafkaConfig['sasl'];
  /** Prefix of the topic names, as configured on the control plane (`FLAGPOLE_TOPIC_PREFIX`); default `flagpole`. */
  readonly topicPrefix?: string;
  /**
   * How long `start()` waits to be ready before resolving anyway, serving the snapshot (reason
   * `CACHED`) or the callers' defaults (`PROVIDER_NOT_READY`) while it keeps trying. Default 5000 ms.
   */
  readonly startTimeoutMs?: number;
  /** After this long without a successful fetch from Kafka, a READY client turns STALE. Default 5000 ms. */
  readonly staleAfterMs?: number;
  /**
   * File in which to persist the configuration (JSON; written atomically and debounced after
   * changes, read at start). Without it, a start while Kafka is unreachable serves defaults.
   */
  readonly snapshotPath?: string;
  /** Quiet time after the last change before the snapshot is written. Default 1000 ms. */
  readonly snapshotDebounceMs?: number;
  /** Longest time a change may wait to be persisted while changes keep coming. Default 10000 ms. */
  readonly snapshotMaxDelayMs?: number;
  /** Backoff between attempts to (re)connect: exponential from `initialDelayMs` up to `maxDelayMs`, with jitter. Defaults 250 ms and 10000 ms. */
  readonly reconnect?: {
    readonly initialDelayMs?: number;
    readonly maxDelayMs?: number;
  };
  /**
   * Consumer tuning. Defaults favour propagation latency: `minBytes` 1 makes the broker answer a
   * fetch as soon as a record is committed; `maxWaitTimeInMs` (default 500) only bounds how long an
   * idle fetch waits (and so how often an idle client polls).
   */
  readonly consumer?: {
    readonly maxWaitTimeInMs?: number;
    readonly minBytes?: number;
    readonly maxBytes?: number;
    readonly maxBytesPerPartition?: number;
    readonly sessionTimeout?: number;
    readonly heartbeatInterval?: number;
  };
  /** Prefix of the consumer group id; each client uses `<prefix>-<uuid>` and never commits offsets. Default `flagpole-sdk`. */
  readonly groupIdPrefix?: string;
  /** kafkajs connection timeout when the SDK builds the client; default 3000 ms. */
  readonly connectionTimeoutMs?: number;
  /** kafkajs request timeout when the SDK builds the client; default 30000 ms. */
  readonly requestTimeoutMs?: number;
  /** Where the SDK logs; default silent. A pino logger fits. */
  readonly logger?: FlagpoleLogger;
  /**
   * The clock passed to the engine as `now` (for `before`/`after` clauses on `currentTime`) and
   * used for the times the client reports (`lastUpdateAt`, `appliedAt`…). Default `Date.now`.
   * Timeouts and staleness use real timers whatever this clock says.
   */
  readonly clock?: () => number;
}
