import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@flagpole/domain';
import type { AuthenticatedRequest } from '../auth/token-auth.guard';
import { RequestValidationError } from './request-validation.error';
import type { MutationRequestDto } from './mutation-request.dto';

/**
 * Who, when and why for a command, from the request: the actor always comes from the token,
 * never from the body; the expected version from `If-Match` or `expectedVersion`.
 */
export function commandMetadataFrom(request: AuthenticatedRequest, body: MutationRequestDto = {}): CommandMetadata {
  const principal = request.principal;
  if (!principal) throw new Error('commandMetadataFrom needs an authenticated request');
  const expectedVersion = expectedVersionFrom(request.headers['if-match'], body.expectedVersion);
  const correlation = request.headers['x-correlation-id'];
  return {
    actor: { id: `token:${principal.tokenId}`, name: principal.name, tokenId: principal.tokenId },
    now: new Date().toISOString(),
    correlationId: typeof correlation === 'string' && /^[\w.:-]{1,100}$/.test(correlation) ? correlation : randomUUID(),
    reason: body.reason,
    expectedVersion,
  };
}

function expectedVersionFrom(ifMatch: string | undefined, fromBody: number | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return fromBody;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch);
  if (!match) throw new RequestValidationError([{ field: 'If-Match', problem: 'must be an ETag returned by the API, e.g. "3"' }]);
  const version = Number(match[1]);
  if (fromBody !== undefined && fromBody !== version) {
    throw new RequestValidationError([{ field: 'expectedVersion', problem: `disagrees with If-Match (${version})` }]);
  }
  return version;
}
