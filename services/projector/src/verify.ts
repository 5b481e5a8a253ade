import 'reflect-metadata';
import { createKafka, decodeEvent, topicNames, TopicReader } from '@flagpole/kafka';
import { readModelDataSource, verifyEventLog, verifyStoredAuditTrail, type ChainVerification, type LogRecord } from '@flagpole/read-model';
import { projectorConfigFromEnv } from './config/projector-config';

const USAGE = `Usage: node dist/services/projector/src/verify.js [--log]

Recomputes the sequence and hash chain and prints the verdict as JSON; exit code 0 when intact,
3 when something was edited, is missing or is out of order (the problem names the sequence).
  (default)  the audit trail in Postgres, row by row, up to the projection head
  --log      the events topic itself, read straight from Kafka (read_committed)
Environment: DATABASE_URL, FLAGPOLE_READ_MODEL_SCHEMA, KAFKA_BROKERS, FLAGPOLE_TOPIC_PREFIX.`;

async function verifyAuditTrail(): Promise<ChainVerification> {
  const config = projectorConfigFromEnv();
  const dataSource = readModelDataSource(config.databaseUrl, { schema: config.schema, applicationName: 'flagpole-verify', poolSize: 1 });
  await dataSource.initialize();
  try {
    return await verifyStoredAuditTrail(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function verifyLog(): Promise<ChainVerification> {
  const config = projectorConfigFromEnv();
  const kafka = createKafka({ ...config.kafka, clientId: 'flagpole-verify' });
  const records: LogRecord[] = [];
  const reader = new TopicReader({
    kafka,
    topic: topicNames(config.kafka.topicPrefix).events,
    tail: false,
    groupIdPrefix: 'flagpole-verify',
    onRecord: (r) => void records.push({ partition: r.partition, offset: r.offset, event: decodeEvent(r.message) }),
  });
  await reader.start();
  return verifyEventLog(records);
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.some((a) => a !== '--log')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const verdict = argv.includes('--log') ? await verifyLog() : await verifyAuditTrail();
  process.stdout.write(`${JSON.stringify(verdict, null, 2)}\n`);
  return verdict.ok ? 0 : 3;
}

void main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`verify failed: ${error.message}\n`);
    process.exit(1);
  },
);
