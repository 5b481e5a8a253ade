import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { roleAtLeast, scopeIncludes, type Role } from '@flagpole/domain';
import type { Request } from 'express';
import { WriterRuntime } from '../infrastructure/writer.runtime';
import { ENVIRONMENT_SCOPE, PUBLIC_ROUTE, REQUIRED_ROLE, type EnvironmentSource } from './auth.decorators';
import { AuthError } from './auth.errors';
import type { Principal } from './principal';
import { hashTokenSecret } from './token-secret';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Bearer-token authentication plus role and environment-scope authorisation for every route. */
@Injectable()
export class TokenAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly runtime: WriterRuntime,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticate(request.headers.authorization);
    request.principal = principal;
    const role = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'admin';
    if (!roleAtLeast(principal.role, role)) {
      throw new AuthError('forbidden', `this route needs the ${role} role; the token has ${principal.role}`);
    }
    const source = this.reflector.getAllAndOverride<EnvironmentSource>(ENVIRONMENT_SCOPE, targets);
    if (source) this.authoriseScope(principal, source, request);
    return true;
  }

  private authenticate(header: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new AuthError('unauthenticated', 'send an API token as "Authorization: Bearer <token>"');
    const hash = hashTokenSecret(match[1]!);
    const now = Date.now();
    for (const token of this.runtime.state.tokens()) {
      if (token.status !== 'active' || token.secretHash !== hash) continue;
      if (token.expiresAt && Date.parse(token.expiresAt) <= now) break;
      return { tokenId: token.tokenId, name: token.name, role: token.role, environments: token.environments };
    }
    throw new AuthError('unauthenticated', 'the API token is unknown, revoked or expired');
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
