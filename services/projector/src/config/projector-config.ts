import { hostname } from 'node:os';
import { kafkaSettingsFromEnv, type KafkaSettings } from '@flagpole/kafka';
import { READ_MODEL_SCHEMA } from '@flagpole/read-model';

/** Everything the projector reads from its environment, read once at start-up. */
export interface ProjectorConfig {
  readonly port: number;
  readonly host: string;
  readonly kafka: KafkaSettings;
  readonly databaseUrl: string;
  /** The schema holding the live read models. */
  readonly schema: string;
  readonly instanceId: string;
  readonly logLevel: string;
  /** Out-of-order events held while waiting for a gap to fill, before partitions are paused. */
  readonly maxBuffered: number;
  /** Events per Postgres transaction at most. */
  readonly maxBatch: number;
  /** How long a gap nothing can fill lasts before it is reported as a stall. */
  readonly stallAfterMs: number;
}

export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');

export function projectorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  const port = Number(env.PORT ?? 3001);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    kafka: kafkaSettingsFromEnv(env, 'flagpole-projector'),
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flagpole',
    schema: env.FLAGPOLE_READ_MODEL_SCHEMA ?? READ_MODEL_SCHEMA,
    instanceId: env.FLAGPOLE_INSTANCE_ID ?? `${hostname()}:${port}:${process.pid}`,
    logLevel: env.LOG_LEVEL ?? 'info',
    maxBuffered: Number(env.FLAGPOLE_PROJECTOR_MAX_BUFFERED ?? 20_000),
    maxBatch: Number(env.FLAGPOLE_PROJECTOR_MAX_BATCH ?? 5000),
    stallAfterMs: Number(env.FLAGPOLE_PROJECTOR_STALL_AFTER_MS ?? 3000),
  };
}
