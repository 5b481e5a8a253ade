import { kafkaSettingsFromEnv } from './kafka-settings';

describe('kafkaSettingsFromEnv', () => {
  it('defaults to the local broker, the flagpole prefix and a plain connection', () => {
    expect(kafkaSettingsFromEnv({})).toEqual({ brokers: ['127.0.0.1:19092'], clientId: 'flagpole', topicPrefix: 'flagpole' });
  });

  it('splits and trims a broker list and drops empty entries', () => {
    expect(kafkaSettingsFromEnv({ KAFKA_BROKERS: ' a:9092, b:9092 ,,' }).brokers).toEqual(['a:9092', 'b:9092']);
  });

  it('turns on TLS only for KAFKA_SSL=true', () => {
    expect(kafkaSettingsFromEnv({ KAFKA_SSL: 'true' }).ssl).toBe(true);
    expect(kafkaSettingsFromEnv({ KAFKA_SSL: 'yes' }).ssl).toBeUndefined();
  });

  it('builds SASL credentials for a known mechanism, case-insensitively', () => {
    const settings = kafkaSettingsFromEnv({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'cp', KAFKA_SASL_PASSWORD: 's3cret' });
    expect(settings.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'cp', password: 's3cret' });
  });

  it('refuses an unknown SASL mechanism instead of connecting without authentication', () => {
    expect(() => kafkaSettingsFromEnv({ KAFKA_SASL_MECHANISM: 'kerberos' })).toThrow(/KAFKA_SASL_MECHANISM: "kerberos" is not one of plain, scram-sha-256, scram-sha-512/);
  });
});
