import { checkExpiresAt } from '../flag/flag.validation';
import { assertNever } from '../shared/assert-never';
import type { DecisionContext } from '../shared/decider.types';
import { DomainError, throwIfProblems } from '../shared/domain-error';
import { checkExpectedVersion } from '../shared/expected-version';
import { checkEnvironmentKey, checkText } from '../shared/keys';
import type { Problem } from '../shared/problem.types';
import type { IssueToken, TokenCommand } from './token.commands';
import type { TokenEvent } from './token.events';
import type { TokenState } from './token.state';
import { ROLES, type EnvironmentScope, type Role } from './token.types';

export function decideToken(command: TokenCommand, state: TokenState, ctx: DecisionContext): readonly TokenEvent[] {
  switch (command.type) {
    case 'IssueToken': {
      const { role, environments } = validIssue(command, ctx);
      if (state.status !== 'absent') throw new DomainError('already_exists', `token "${command.data.tokenId}" already exists`);
      const d = command.data;
      return [
        {
          type: 'TokenIssued',
          data: { tokenId: d.tokenId, name: d.name, role, environments, secretHash: d.secretHash, expiresAt: d.expiresAt ?? null },
        },
      ];
    }
    case 'RevokeToken':
      if (state.status === 'absent') throw DomainError.notFound(`token "${command.data.tokenId}"`);
      checkExpectedVersion(command.meta, state.version);
      // Revoking twice is a no-op so a retried DELETE stays safe.
      return state.status === 'revoked' ? [] : [{ type: 'TokenRevoked', data: {} }];
    default:
      return assertNever(command, 'token command');
  }
}

function validIssue(command: IssueToken, ctx: DecisionContext): { role: Role; environments: EnvironmentScope } {
  const d = command.data;
  const problems: Problem[] = [...checkText(d.name, 'name', 200, true)];
  if (!(ROLES as readonly unknown[]).includes(d.role)) problems.push({ field: 'role', problem: `must be one of ${ROLES.join(', ')}` });
  if (d.environments !== '*') {
    if (!Array.isArray(d.environments) || d.environments.length === 0) {
      problems.push({ field: 'environments', problem: 'must be "*" or a non-empty array of environment keys' });
    } else {
      d.environments.forEach((env: unknown, i) => {
        const keyProblems = checkEnvironmentKey(env, `environments[${i}]`);
        if (keyProblems.length > 0) problems.push(...keyProblems);
        else if (!ctx.environmentExists(env as string)) problems.push({ field: `environments[${i}]`, problem: `environment "${String(env)}" does not exist` });
      });
    }
  }
  const expiryProblems = checkExpiresAt(d.expiresAt);
  if (expiryProblems.length > 0) {
    problems.push(...expiryProblems);
  } else if (d.expiresAt && Date.parse(d.expiresAt) <= Date.parse(command.meta.now)) {
    problems.push({ field: 'expiresAt', problem: 'must be in the future' });
  }
  if (!/^[0-9a-f]{64}$/.test(d.secretHash)) problems.push({ field: 'secretHash', problem: 'must be a SHA-256 hex digest' });
  throwIfProblems(problems);
  return { role: d.role as Role, environments: d.environments as EnvironmentScope };
}

export function evolveToken(state: TokenState, event: TokenEvent): TokenState {
  const version = state.version + 1;
  switch (event.type) {
    case 'TokenIssued':
      return { ...event.data, status: 'active', version };
    case 'TokenRevoked':
      return state.status === 'absent' ? state : { ...state, status: 'revoked', version };
    default:
      return assertNever(event, 'token event');
  }
}
