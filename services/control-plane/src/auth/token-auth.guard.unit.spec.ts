import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FlagpoleState, type EventEnvelope, type TokenEvent } from '@flagpole/domain';
import type { WriterRuntime } from '../infrastructure/writer.runtime';
import { Public, RequireRole, ScopedTo } from './auth.decorators';
import { AuthError } from './auth.errors';
import { TokenAuthGuard, type AuthenticatedRequest } from './token-auth.guard';
import { hashTokenSecret } from './token-secret';

class Routes {
  @RequireRole('editor')
  @ScopedTo({ param: 'env' })
  toggle(): void {}

  @Public()
  health(): void {}
}

const SECRET = 'fp_unit_test_secret';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('TokenAuthGuard', () => {
  let state: FlagpoleState;
  let guard: TokenAuthGuard;
  let sequence: number;

  const apply = (tokenId: string, version: number, event: TokenEvent): void => {
    sequence += 1;
    state.apply({
      ...event,
      id: `evt-${sequence}`,
      aggregateType: 'token',
      aggregateId: `token:${tokenId}`,
      version,
      time: new Date(T0).toISOString(),
      actor: { id: 'system', name: 'test' },
      reason: null,
      correlationId: 'c',
      changeRequestId: null,
      sequence,
      prevHash: '',
      hash: '',
    } as EventEnvelope);
  };
  const issue = (tokenId: string, secret: string, extra: { role?: 'viewer' | 'editor'; expiresAt?: string; environments?: '*' | string[] } = {}): void =>
    apply(tokenId, 1, {
      type: 'TokenIssued',
      data: { tokenId, name: tokenId, role: extra.role ?? 'editor', environments: extra.environments ?? '*', secretHash: hashTokenSecret(secret), expiresAt: extra.expiresAt ?? null },
    });
  const revoke = (tokenId: string): void => apply(tokenId, 2, { type: 'TokenRevoked', data: {} });

  const call = (secret: string | undefined, handler: () => void = Routes.prototype.toggle, env = 'production'): AuthenticatedRequest => {
    const request = { headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` }, params: { env }, body: {} } as unknown as AuthenticatedRequest;
    const context = { getHandler: () => handler, getClass: () => Routes, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
    guard.canActivate(context);
    return request;
  };
  const refusal = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      if (error instanceof AuthError) return error.kind;
      throw error;
    }
    return 'accepted';
  };

  beforeEach(() => {
    state = FlagpoleState.empty();
    sequence = 0;
    guard = new TokenAuthGuard(new Reflector(), { get state() { return state; } } as unknown as WriterRuntime);
    jest.spyOn(Date, 'now').mockReturnValue(T0);
  });
  afterEach(() => jest.restoreAllMocks());

  it('authenticates a token and puts its principal on the request, again from the cache', () => {
    issue('tok-a', SECRET);
    for (let i = 0; i < 2; i++) {
      expect(call(SECRET).principal).toEqual({ tokenId: 'tok-a', name: 'tok-a', role: 'editor', environments: '*' });
    }
  });

  it('refuses a revoked token on the very next request, although it was cached', () => {
    issue('tok-a', SECRET);
    call(SECRET);
    revoke('tok-a');
    expect(refusal(() => call(SECRET))).toBe('unauthenticated');
  });

  it('refuses a token once its expiry has passed, although it was cached', () => {
    issue('tok-a', SECRET, { expiresAt: new Date(T0 + 60_000).toISOString() });
    call(SECRET);
    jest.spyOn(Date, 'now').mockReturnValue(T0 + 60_000);
    expect(refusal(() => call(SECRET))).toBe('unauthenticated');
  });

  it('refuses unknown secrets, malformed headers and no header; a public route needs none', () => {
    issue('tok-a', SECRET);
    expect(refusal(() => call('fp_other'))).toBe('unauthenticated');
    expect(refusal(() => call(undefined))).toBe('unauthenticated');
    expect(refusal(() => call(undefined, Routes.prototype.health))).toBe('accepted');
  });

  it('still checks role and environment scope for a cached token', () => {
    issue('tok-v', 'fp_viewer', { role: 'viewer' });
    issue('tok-s', 'fp_staging', { environments: ['staging'] });
    for (let i = 0; i < 2; i++) {
      expect(refusal(() => call('fp_viewer'))).toBe('forbidden');
      expect(refusal(() => call('fp_staging', Routes.prototype.toggle, 'production'))).toBe('forbidden');
      expect(refusal(() => call('fp_staging', Routes.prototype.toggle, 'staging'))).toBe('accepted');
    }
  });
});
