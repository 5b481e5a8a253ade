import type { Command } from '../shared/decider.types';

export type CreateEnvironment = Command<
  'CreateEnvironment',
  { readonly key: string; readonly name: string; readonly description?: string; readonly production?: boolean }
>;

export type EnvironmentCommand = CreateEnvironment;
