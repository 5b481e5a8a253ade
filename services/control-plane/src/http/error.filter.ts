import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ApprovalRequiredError, DomainError, type DomainErrorCode, type Problem } from '@flagpole/domain';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { AuthError } from '../auth/auth.errors';
import { WriterUnavailableError } from '../writer/writer-errors';
import { ProjectionLaggingError } from './projection-lagging.error';
import { requestLog } from './request-logging';
import { RequestValidationError } from './request-validation.error';

interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details: readonly Problem[];
  readonly currentVersion?: number;
  /** With `approval_required`: how to propose the refused change as a change request. */
  readonly changeRequest?: unknown;
}

const DOMAIN_STATUS: Readonly<Record<DomainErrorCode, number>> = {
  validation_failed: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  already_exists: HttpStatus.CONFLICT,
  version_conflict: HttpStatus.CONFLICT,
  invalid_state: HttpStatus.CONFLICT,
  in_use: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  approval_required: HttpStatus.CONFLICT,
};

/** The one place errors become HTTP: `{ error, message, details: [{ field, problem }] }`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const [status, body] = this.map(exception, http.getRequest<Request>(), response);
    response.status(status).json(body);
  }

  private map(exception: unknown, request: Request, response: Response): [number, ErrorBody] {
    if (exception instanceof ApprovalRequiredError) {
      return [HttpStatus.CONFLICT, { error: exception.code, message: exception.message, details: exception.problems, changeRequest: howToPropose(exception) }];
    }
    if (exception instanceof DomainError) {
      if (exception.currentVersion !== undefined) response.setHeader('ETag', `"${exception.currentVersion}"`);
      return [
        DOMAIN_STATUS[exception.code],
        { error: exception.code, message: exception.message, details: exception.problems, currentVersion: exception.currentVersion },
      ];
    }
    if (exception instanceof RequestValidationError) {
      return [HttpStatus.BAD_REQUEST, { error: 'validation_failed', message: exception.message, details: exception.problems }];
    }
    if (exception instanceof AuthError) {
      if (exception.kind === 'unauthenticated') response.setHeader('WWW-Authenticate', 'Bearer');
      const status = exception.kind === 'unauthenticated' ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN;
      return [status, { error: exception.kind, message: exception.message, details: [] }];
    }
    if (exception instanceof ProjectionLaggingError) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      return [HttpStatus.SERVICE_UNAVAILABLE, { error: 'projection_lagging', message: exception.message, details: [] }];
    }
    if (exception instanceof WriterUnavailableError) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      return [HttpStatus.SERVICE_UNAVAILABLE, { error: exception.reason, message: exception.message, details: [] }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return [status, { error: httpErrorCode(status, exception), message: httpMessage(exception), details: [] }];
    }
    requestLog(request, this.logger).error({ err: exception }, 'unhandled error');
    return [HttpStatus.INTERNAL_SERVER_ERROR, { error: 'internal_error', message: 'something went wrong; it was logged', details: [] }];
  }
}

function httpErrorCode(status: number, exception: HttpException): string {
  const cause = (exception.cause as { type?: string } | undefined)?.type;
  if (cause === 'entity.parse.failed') return 'malformed_json';
  const codes: Record<number, string> = { 400: 'bad_request', 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type' };
  return codes[status] ?? `http_${status}`;
}

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
}

/** The refused change, ready to post as a change request (docs: README "Approvals"). */
function howToPropose(error: ApprovalRequiredError) {
  return {
    method: 'POST',
    path: '/api/change-requests',
    body: { title: 'describe the change', changes: [error.proposedChange] },
  };
}
