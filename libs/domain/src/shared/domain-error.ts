import type { Problem } from './problem.types';

export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'already_exists'
  | 'version_conflict'
  | 'invalid_state'
  | 'in_use'
  /** The token may not do this to this change request (self-approval, role, scope). */
  | 'forbidden'
  /** An approval policy holds the change back: it needs an approved change request. */
  | 'approval_required';

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

/**
 * A direct change the approval policy holds back. Carries the change as a change request would
 * propose it, so the API can say exactly how to open one.
 */
export class ApprovalRequiredError extends DomainError {
  constructor(
    message: string,
    reasons: readonly Problem[],
    readonly proposedChange: { readonly type: string; readonly data: unknown; readonly baseVersion: number },
  ) {
    super('approval_required', message, reasons);
    this.name = 'ApprovalRequiredError';
  }
}

/** Throws a validation error when any problem was collected; lets deciders report all at once. */
export function throwIfProblems(problems: readonly Problem[], message?: string): void {
  if (problems.length > 0) throw DomainError.validation(problems, message);
}
