import 'reflect-metadata';
import { appConfigFromEnv } from './config/app-config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = appConfigFromEnv();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
}

void main();
