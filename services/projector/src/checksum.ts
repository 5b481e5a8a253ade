import 'reflect-metadata';
import { computeReadModelChecksum, readModelDataSource } from '@flagpole/read-model';
import { projectorConfigFromEnv } from './config/projector-config';

/**
 * Prints the checksum of the live read model (FLAGPOLE_READ_MODEL_SCHEMA, default read_model) as
 * JSON — the figure a rebuild must reproduce:
 *   node dist/services/projector/src/checksum.js [schema]
 * Environment: DATABASE_URL, FLAGPOLE_READ_MODEL_SCHEMA.
 */
async function main(argv: readonly string[]): Promise<number> {
  const config = projectorConfigFromEnv();
  const dataSource = readModelDataSource(config.databaseUrl, { schema: argv[0] ?? config.schema, applicationName: 'flagpole-checksum', poolSize: 1 });
  await dataSource.initialize();
  try {
    process.stdout.write(`${JSON.stringify(await computeReadModelChecksum(dataSource), null, 2)}\n`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

void main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`checksum failed: ${error.message}\n`);
    process.exit(1);
  },
);
