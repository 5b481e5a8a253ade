import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { aggregateIds, roleAtLeast, scopeIncludes, type Role, type TokenState } from '@flagpole/domain';
import type { Request } from 'express';
import { WriterRuntime } from '../infrastructure/writer.runtime';
import { ENVIRONMENT_SCOPE, PUBLIC_ROUTE, REQUIRED_ROLE, type EnvironmentSource } from './auth.decorators';
import { AuthError } from './auth.errors';
import type { Principal } from './principal';
import { hashTokenSecret } from './token-secret';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** What a route's decorators ask of the caller; constant per handler, so read once. */
interface RouteAuth {
  readonly isPublic: boolean;
  readonly role: Role;
  readonly scope?: EnvironmentSource;
}

/** Far more than any deployment's live tokens; only bounds memory if many are issued and revoked. */
const MAX_CACHED_TOKENS = 10_000;

/** Bearer-token authentication plus role and environment-scope authorisation for every route. */
@Injectable()
export class TokenAuthGuard implements CanActivate {
  /** Per controller class, then handler: a handler inherited by two classes may be decorated differently on each. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAuth>>();
  /**
   * Secret hash → aggregate id of tokens that authenticated before, so a request costs one map
   * lookup instead of a scan of every token. Only the id is cached: the token itself is read
   * from the current state on every request, so a revocation (or an expiry) refuses the very
   * next request, with no invalidation to forget.
   */
  private readonly tokenIds = new Map<string, string>();

  constructor(
    private readonly reflector: Reflector,
    private readonly runtime: WriterRuntime,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const route = this.routeAuth(context);
    if (route.isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticate(request.headers.authorization);
    request.principal = principal;
    if (!roleAtLeast(principal.role, route.role)) {
      throw new AuthError('forbidden', `this route needs the ${route.role} role; the token has ${principal.role}`);
    }
    if (route.scope) this.authoriseScope(principal, route.scope, request);
    return true;
  }

  private routeAuth(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (!byHandler) this.routes.set(controller, (byHandler = new WeakMap()));
    let route = byHandler.get(handler);
    if (!route) {
      const targets = [handler, controller];
      route = {
        isPublic: this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true,
        role: this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ?? 'admin',
        scope: this.reflector.getAllAndOverride<EnvironmentSource | undefined>(ENVIRONMENT_SCOPE, targets),
      };
      byHandler.set(handler, route);
    }
    return route;
  }

  private authenticate(header: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new AuthError('unauthenticated', 'send an API token as "Authorization: Bearer <token>"');
    const hash = hashTokenSecret(match[1]!);
    const cachedId = this.tokenIds.get(hash);
    const token = cachedId === undefined ? this.findToken(hash) : this.runtime.state.token(cachedId);
    if (token?.status !== 'active' || token.secretHash !== hash) {
      if (cachedId !== undefined) this.tokenIds.delete(hash);
      throw new AuthError('unauthenticated', 'the API token is unknown, revoked or expired');
    }
    if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) {
      throw new AuthError('unauthenticated', 'the API token is unknown, revoked or expired');
    }
    if (cachedId === undefined) {
      if (this.tokenIds.size >= MAX_CACHED_TOKENS) this.tokenIds.clear();
      this.tokenIds.set(hash, aggregateIds.token(token.tokenId));
    }
    return { tokenId: token.tokenId, name: token.name, role: token.role, environments: token.environments };
  }

  /** The active token with this secret hash; the scan only runs for a secret not seen before. */
  private findToken(hash: string): TokenState | undefined {
    for (const token of this.runtime.state.tokens()) {
      if (token.status === 'active' && token.secretHash === hash) return token;
    }
    return undefined;
  }

  private authoriseScope(principal: Principal, source: EnvironmentSource, request: Request): void {
    if (source === 'all') {
      if (principal.environments !== '*') throw new AuthError('forbidden', 'this change reaches every environment; it needs a token scoped to "*"');
      return;
    }
    const raw: unknown = 'param' in source ? request.params[source.param] : (request.body as Record<string, unknown> | undefined)?.[source.body];
    // A missing environment is the validator's to report (400), not an authorisation question.
    if (typeof raw !== 'string') return;
    if (!scopeIncludes(principal.environments, raw)) {
      throw new AuthError('forbidden', `the token is not scoped to environment "${raw}"`);
    }
  }
}
