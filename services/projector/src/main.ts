import 'reflect-metadata';
import { projectorConfigFromEnv } from './config/projector-config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = projectorConfigFromEnv();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
}

void main();
