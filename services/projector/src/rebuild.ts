import 'reflect-metadata';
import { createKafka, topicNames } from '@flagpole/kafka';
import pino from 'pino';
import { projectorConfigFromEnv } from './config/projector-config';
import { rebuildReadModel } from './rebuild/rebuild-read-model';

const USAGE = `Usage: node dist/services/projector/src/rebuild.js [--no-swap] [--keep-old]

Replays <FLAGPOLE_TOPIC_PREFIX>.events into a fresh schema, swaps it in for the live read model
(FLAGPOLE_READ_MODEL_SCHEMA, default read_model) and prints the result as JSON on stdout:
the schema, the last sequence, events/s and the checksum of the read models and audit trail.

  --no-swap   build and checksum only; the rebuilt schema stays next to the live one
  --keep-old  keep the replaced schema (renamed <schema>_old_<timestamp>) instead of dropping it

Environment: KAFKA_BROKERS, FLAGPOLE_TOPIC_PREFIX, DATABASE_URL, FLAGPOLE_READ_MODEL_SCHEMA, LOG_LEVEL.
Logs go to stderr.`;

async function main(argv: readonly string[]): Promise<number> {
  const known = new Set(['--no-swap', '--keep-old', '--help']);
  const unknown = argv.filter((a) => !known.has(a));
  if (argv.includes('--help') || unknown.length > 0) {
    process.stderr.write(`${unknown.length > 0 ? `unknown option ${unknown.join(' ')}\n\n` : ''}${USAGE}\n`);
    return unknown.length > 0 ? 2 : 0;
  }
  const config = projectorConfigFromEnv();
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const kafka = createKafka({ ...config.kafka, clientId: 'flagpole-rebuild' }, logger.child({ component: 'kafka' }));
  try {
    const result = await rebuildReadModel({
      kafka,
      topic: topicNames(config.kafka.topicPrefix).events,
      databaseUrl: config.databaseUrl,
      schema: config.schema,
      logger,
      swap: !argv.includes('--no-swap'),
      keepOld: argv.includes('--keep-old'),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'rebuild failed');
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
