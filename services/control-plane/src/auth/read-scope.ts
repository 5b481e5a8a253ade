import { scopeIncludes } from '@flagpole/domain';
import { AuthError } from './auth.errors';
import type { Principal } from './principal';
import type { AuthenticatedRequest } from './token-auth.guard';

/** The authenticated caller of a route the guard let through. */
export function principalOf(request: AuthenticatedRequest): Principal {
  if (!request.principal) throw new Error('principalOf needs an authenticated request');
  return request.principal;
}

/** A read that names an environment (a query parameter) is refused outside the token's scope. */
export function requireEnvironmentScope(principal: Principal, environment: string | undefined): void {
  if (environment !== undefined && !scopeIncludes(principal.environments, environment)) {
    throw new AuthError('forbidden', `the token is not scoped to environment "${environment}"`);
  }
}

/** Reads that span every environment at once (the whole audit trail as evidence) need a token scoped to `*`. */
export function requireFullScope(principal: Principal, what: string): void {
  if (principal.environments !== '*') throw new AuthError('forbidden', `${what} spans every environment; it needs a token scoped to "*"`);
}
