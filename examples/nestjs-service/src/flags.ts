import { FlagpoleProvider, type FlagEvaluator } from '@flagpole/sdk';
import type { ExecutionContext } from '@nestjs/common';
import type { EvaluationContext } from '@openfeature/server-sdk';
import type { Request } from 'express';
import pino from 'pino';

/** Injection token of the Flagpole client itself (status, direct typed evaluation). */
export const FLAGS = Symbol('FLAGS');

/** The provider for this service, configured from the environment (see README.md). */
export function flagpoleProviderFromEnv(env: NodeJS.ProcessEnv = process.env): FlagpoleProvider {
  return new FlagpoleProvider({
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').map((b) => b.trim()),
    environment: env.FLAGPOLE_ENVIRONMENT ?? 'production',
    topicPrefix: env.FLAGPOLE_TOPIC_PREFIX ?? 'flagpole',
    snapshotPath: env.FLAGPOLE_SNAPSHOT || undefined,
    logger: pino({ name: 'flagpole-sdk', level: env.LOG_LEVEL ?? 'info' }),
  });
}

/**
 * Who the request is about, for every flag evaluated while handling it (OpenFeature's
 * transaction context, set by the module's interceptor). A real service would read its
 * authenticated principal here; the example reads two headers.
 */
export function requestContext(context: ExecutionContext): EvaluationContext | undefined {
  const request = context.switchToHttp().getRequest<Request>();
  const userId = request.header('x-user-id');
  if (!userId) return undefined;
  const plan = request.header('x-plan');
  return { targetingKey: userId, ...(plan ? { plan } : {}) };
}

export type { FlagEvaluator };
