/**
 * Generates and publishes a history into `<prefix>.events` and leaves it there (for repeated
 * rebuild runs while profiling):  node generate-cli.js <events> [prefix]
 */
import { createKafka, kafkaSettingsFromEnv } from '@flagpole/kafka';
import { randomBytes } from 'node:crypto';
import { publishHistory } from './publish';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000);
  const prefix = process.argv[3] ?? `fpbench-rebuild-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const kafka = createKafka({ ...kafkaSettingsFromEnv(process.env, 'flagpole-bench-generate'), topicPrefix: prefix });
  const published = await publishHistory(kafka, prefix, count);
  process.stdout.write(`${JSON.stringify({ prefix, ...published })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
