/** Where the broker is and how this deployment's names are spelled. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Prefix of every topic name; tests use a unique one per run so they can share a broker. */
  readonly topicPrefix: string;
}

export function kafkaSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, clientId = 'flagpole'): KafkaSettings {
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').map((b) => b.trim()).filter(Boolean),
    clientId,
    topicPrefix: env.FLAGPOLE_TOPIC_PREFIX ?? 'flagpole',
  };
}
