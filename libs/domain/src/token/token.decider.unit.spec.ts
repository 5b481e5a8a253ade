import { command, deciderSpec, NOW, SHA256_OF_SECRET } from '../testing/decider-spec';
import type { IssueToken, RevokeToken } from './token.commands';
import { decideToken, evolveToken } from './token.decider';
import type { TokenIssued, TokenRevoked } from './token.events';
import { initialTokenState } from './token.state';
import { roleAtLeast, scopeIncludes } from './token.types';

const token = deciderSpec({ decide: decideToken, evolve: evolveToken, initialState: initialTokenState });

const SECRET_HASH = SHA256_OF_SECRET;

const issue = (data: Partial<IssueToken['data']> = {}, expectedVersion?: number): IssueToken =>
  command(
    'IssueToken',
    { tokenId: 'tok-1', secretHash: SECRET_HASH, name: 'CI deploys', role: 'editor', environments: ['staging'], ...data },
    { expectedVersion },
  );
const revoke = (expectedVersion?: number): RevokeToken => command('RevokeToken', { tokenId: 'tok-1' }, { expectedVersion });

const issued = (data: Partial<TokenIssued['data']> = {}): TokenIssued => ({
  type: 'TokenIssued',
  data: { tokenId: 'tok-1', name: 'CI deploys', role: 'editor', environments: ['staging'], secretHash: SECRET_HASH, expiresAt: null, ...data },
});
const revoked: TokenRevoked = { type: 'TokenRevoked', data: {} };

describe('decideToken: IssueToken', () => {
  it('issues a token scoped to existing environments, without expiry by default', () => {
    const state = token.given([]).when(issue()).then([issued()]);
    expect(state).toEqual({ ...issued().data, status: 'active', version: 1 });
  });

  it.each(['viewer', 'editor', 'approver', 'admin'])('issues a token with role %s', (role) => {
    token
      .given([])
      .when(issue({ role }))
      .then([issued({ role: role as TokenIssued['data']['role'] })]);
  });

  it('scopes a token to every environment with "*"', () => {
    token.given([]).when(issue({ environments: '*' })).then([issued({ environments: '*' })]);
  });

  it('keeps an expiry in the future', () => {
    token.given([]).when(issue({ expiresAt: '2025-01-15T10:00:01.000Z' })).then([issued({ expiresAt: '2025-01-15T10:00:01.000Z' })]);
  });

  it('rejects an expiry at or before now', () => {
    for (const expiresAt of [NOW, '2024-12-31T00:00:00.000Z']) {
      token
        .given([])
        .when(issue({ expiresAt }))
        .thenThrows({ code: 'validation_failed', problems: [{ field: 'expiresAt', problem: 'must be in the future' }] });
    }
  });

  it.each([['never'], ['March 1, 2030'], ['1/3/2030']])('rejects the expiry %j, which is not an ISO-8601 date', (expiresAt) => {
    token
      .given([])
      .when(issue({ expiresAt }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'expiresAt', problem: 'must be an ISO-8601 date or null' }] });
  });

  it('stores an ISO-8601 expiry as given, without normalising it', () => {
    token.given([]).when(issue({ expiresAt: '2030-03-01' })).then([issued({ expiresAt: '2030-03-01' })]);
  });

  it('rejects an unknown role', () => {
    token
      .given([])
      .when(issue({ role: 'owner' }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'role', problem: 'must be one of viewer, editor, approver, admin' }] });
  });

  it('rejects an environment list naming malformed or missing environments, each at its index', () => {
    token
      .given([])
      .when(issue({ environments: ['production', 'QA', 'qa', 5] }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'environments[1]', problem: 'must be 1-63 characters of a-z, 0-9 or "-", starting with a letter or digit' },
          { field: 'environments[2]', problem: 'environment "qa" does not exist' },
          { field: 'environments[3]', problem: 'must be a string' },
        ],
      });
  });

  it.each([[[]], ['production'], [null], ['all']])('rejects the environment scope %j', (environments) => {
    token
      .given([])
      .when(issue({ environments }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'environments', problem: 'must be "*" or a non-empty array of environment keys' }] });
  });

  it.each([
    ['upper-case hex', SECRET_HASH.toUpperCase()],
    ['63 characters', SECRET_HASH.slice(1)],
    ['a non-hex character', `${SECRET_HASH.slice(1)}g`],
    ['the secret itself', 'fp_live_s3cr3t'],
  ])('rejects a secret hash with %s', (_case, secretHash) => {
    token
      .given([])
      .when(issue({ secretHash }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'secretHash', problem: 'must be a SHA-256 hex digest' }] });
  });

  it('reports every problem together', () => {
    token
      .given([])
      .when(issue({ name: '', role: 'root', environments: [], expiresAt: '2020-01-01', secretHash: 'x' }))
      .thenThrows({
        code: 'validation_failed',
        problems: [{ field: 'name' }, { field: 'role' }, { field: 'environments' }, { field: 'expiresAt' }, { field: 'secretHash' }],
      });
  });

  it('ignores expectedVersion when issuing, unlike the other create commands', () => {
    token.given([]).when(issue({}, 5)).then([issued()]);
  });

  it('refuses an id already issued, even when revoked, with already_exists', () => {
    token.given([issued()]).when(issue()).thenThrows({ code: 'already_exists' });
    token.given([issued(), revoked]).when(issue()).thenThrows({ code: 'already_exists' });
  });
});

describe('decideToken: RevokeToken', () => {
  it('revokes an active token', () => {
    const state = token.given([issued()]).when(revoke()).then([revoked]);
    expect(state).toEqual({ ...issued().data, status: 'revoked', version: 2 });
  });

  it('decides nothing when revoking twice, so a retried DELETE is safe', () => {
    token.given([issued(), revoked]).when(revoke()).then([]);
  });

  it('refuses an unknown token with not_found', () => {
    token.given([]).when(revoke()).thenThrows({ code: 'not_found', problems: [] });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    token.given([issued()]).when(revoke(0)).thenThrows({ code: 'version_conflict', currentVersion: 1 });
    token.given([issued()]).when(revoke(1)).then([revoked]);
  });
});

describe('roles and scopes', () => {
  it('orders roles viewer < editor < approver < admin', () => {
    expect(roleAtLeast('admin', 'approver')).toBe(true);
    expect(roleAtLeast('editor', 'editor')).toBe(true);
    expect(roleAtLeast('editor', 'approver')).toBe(false);
    expect(roleAtLeast('viewer', 'editor')).toBe(false);
  });

  it('includes every environment in "*" and only the listed ones otherwise', () => {
    expect(scopeIncludes('*', 'created-tomorrow')).toBe(true);
    expect(scopeIncludes(['staging'], 'staging')).toBe(true);
    expect(scopeIncludes(['staging'], 'production')).toBe(false);
  });
});
