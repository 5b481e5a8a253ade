import type { Problem } from './problem.types';

export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'already_exists'
  | 'version_conflict'
  | 'invalid_state'
  | 'in_use';

/**
 * Why a command was refused. Deciders throw it (and only it); the HTTP layer maps `code` to a
 * status in one place, so the domain never speaks HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly problems: readonly Problem[] = [],
    readonly currentVersion?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(problems: readonly Problem[], message = 'the request is invalid'): DomainError {
    return new DomainError('validation_failed', message, problems);
  }

  static notFound(what: string): DomainError {
    return new DomainError('not_found', `${what} does not exist`);
  }

  static conflict(expected: number, current: number): DomainError {
    return new DomainError(
      'version_conflict',
      `expected version ${expected} but the current version is ${current}`,
      [],
      current,
    );
  }
}

/** Throws a validation error when any problem was collected; lets deciders report all at once. */
export function throwIfProblems(problems: readonly Problem[], message?: string): void {
  if (problems.length > 0) throw DomainError.validation(problems, message);
}
