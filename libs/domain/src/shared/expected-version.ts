import { DomainError } from './domain-error';
import type { CommandMetadata } from './command-metadata.types';

/** Refuses a command based on a version other than the aggregate's current one. */
export function checkExpectedVersion(meta: CommandMetadata, currentVersion: number): void {
  if (meta.expectedVersion !== undefined && meta.expectedVersion !== currentVersion) {
    throw DomainError.conflict(meta.expectedVersion, currentVersion);
  }
}
