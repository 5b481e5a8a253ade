import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** Where the broker is, how to reach it securely, and how this deployment's names are spelled. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Prefix of every topic name; tests use a unique one per run so they can share a broker. */
  readonly topicPrefix: string;
  /** TLS to the brokers (`true` for the system's CAs, or kafkajs' TLS options). */
  readonly ssl?: KafkaConfig['ssl'];
  readonly sasl?: KafkaConfig['sasl'];
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
type SaslMechanism = (typeof SASL_MECHANISMS)[number];

function isSaslMechanism(value: string): value is SaslMechanism {
  return (SASL_MECHANISMS as readonly string[]).includes(value);
}

/**
 * Settings from the environment: `KAFKA_BROKERS` (comma-separated), `FLAGPOLE_TOPIC_PREFIX`,
 * `KAFKA_SSL=true`, and `KAFKA_SASL_MECHANISM` (plain, scram-sha-256, scram-sha-512) with
 * `KAFKA_SASL_USERNAME` / `KAFKA_SASL_PASSWORD`. A misspelt mechanism fails start-up rather than
 * silently connecting without authentication.
 */
export function kafkaSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, clientId = 'flagpole'): KafkaSettings {
  const sasl = saslFromEnv(env);
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').map((b) => b.trim()).filter(Boolean),
    clientId,
    topicPrefix: env.FLAGPOLE_TOPIC_PREFIX ?? 'flagpole',
    ...(env.KAFKA_SSL === 'true' ? { ssl: true } : {}),
    ...(sasl ? { sasl } : {}),
  };
}

function saslFromEnv(env: NodeJS.ProcessEnv): SASLOptions | undefined {
  const mechanism = env.KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  if (!mechanism) return undefined;
  if (!isSaslMechanism(mechanism)) {
    throw new Error(`KAFKA_SASL_MECHANISM: "${mechanism}" is not one of ${SASL_MECHANISMS.join(', ')}`);
  }
  return { mechanism, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' };
}
