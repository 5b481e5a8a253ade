import type { Event } from '../shared/decider.types';

export interface EnvironmentCreatedData {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Production environments are where approval policies usually bite. */
  readonly production: boolean;
}

export type EnvironmentCreated = Event<'EnvironmentCreated', EnvironmentCreatedData>;

export type EnvironmentEvent = EnvironmentCreated;
