import { hostname } from 'node:os';
import { kafkaSettingsFromEnv, type KafkaSettings } from '@flagpole/kafka';

/** Everything the control plane reads from its environment, read once at start-up. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly kafka: KafkaSettings;
  readonly databaseUrl: string;
  readonly transactionalId: string;
  readonly commandTimeoutMs: number;
  readonly instanceId: string;
  /** When set, an admin token with this secret is issued on first start (local quick start). */
  readonly bootstrapToken?: string;
  readonly logLevel: string;
  /** Schema of the projector's read model the query routes read (default `read_model`). */
  readonly readModelSchema?: string;
  /** How long a query carrying a consistency token waits for the projector (default 5000 ms). */
  readonly consistencyTimeoutMs?: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function appConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const kafka = kafkaSettingsFromEnv(env, 'flagpole-control-plane');
  const port = Number(env.PORT ?? 3000);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    kafka,
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flagpole',
    transactionalId: env.FLAGPOLE_TRANSACTIONAL_ID ?? `${kafka.topicPrefix}.writer`,
    commandTimeoutMs: Number(env.FLAGPOLE_COMMAND_TIMEOUT_MS ?? 5000),
    instanceId: env.FLAGPOLE_INSTANCE_ID ?? `${hostname()}:${port}:${process.pid}`,
    bootstrapToken: env.FLAGPOLE_BOOTSTRAP_TOKEN || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    readModelSchema: env.FLAGPOLE_READ_MODEL_SCHEMA || undefined,
    consistencyTimeoutMs: env.FLAGPOLE_CONSISTENCY_TIMEOUT_MS ? Number(env.FLAGPOLE_CONSISTENCY_TIMEOUT_MS) : undefined,
  };
}
