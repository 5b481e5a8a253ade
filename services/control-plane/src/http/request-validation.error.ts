import type { ValidationError } from 'class-validator';
import type { Problem } from '@flagpole/domain';

/** A request that failed DTO validation; carries every problem with its field path. */
export class RequestValidationError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super('the request is invalid');
    this.name = 'RequestValidationError';
  }

  static fromClassValidator(errors: readonly ValidationError[]): RequestValidationError {
    return new RequestValidationError(flatten(errors, ''));
  }
}

function flatten(errors: readonly ValidationError[], prefix: string): Problem[] {
  return errors.flatMap((error) => {
    const field = prefix ? (/^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, problem: stripProperty(message, error.property) }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

// class-validator messages start with the property name ("name must be a string"); the
// field is reported separately, so keep only the problem.
function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
