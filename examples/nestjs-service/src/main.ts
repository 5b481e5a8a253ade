import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { OpenFeature } from '@openfeature/nestjs-sdk';
import { AppModule } from './app.module';
import { flagpoleProviderFromEnv } from './flags';

async function main(): Promise<void> {
  const provider = flagpoleProviderFromEnv();
  // Wait until the flags are read from Kafka (or the start timeout passed: then the snapshot or
  // the defaults are served, and the provider reports READY/STALE/ERROR accordingly).
  await OpenFeature.setProviderAndWait(provider).catch(() => undefined);
  const app = await NestFactory.create(AppModule.register(provider));
  app.enableShutdownHooks(); // closes OpenFeature, which closes the Flagpole client
  const port = Number(process.env.PORT ?? 3100);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  const status = provider.client.status();
  process.stdout.write(`checkout example on http://127.0.0.1:${port} — flags ${status.state} from ${status.source} (${status.flags} flags)\n`);
}

void main();
