import { assertNever } from '../shared/assert-never';
import { DomainError, throwIfProblems } from '../shared/domain-error';
import { checkExpectedVersion } from '../shared/expected-version';
import { checkEnvironmentKey, checkText } from '../shared/keys';
import type { EnvironmentCommand } from './environment.commands';
import type { EnvironmentEvent } from './environment.events';
import { type EnvironmentState } from './environment.state';

export function decideEnvironment(command: EnvironmentCommand, state: EnvironmentState): readonly EnvironmentEvent[] {
  switch (command.type) {
    case 'CreateEnvironment': {
      const { key, name, description, production } = command.data;
      throwIfProblems([
        ...checkEnvironmentKey(key, 'key'),
        ...checkText(name, 'name', 200, true),
        ...checkText(description, 'description', 2000, false),
        ...(production === undefined || typeof production === 'boolean' ? [] : [{ field: 'production', problem: 'must be a boolean' }]),
      ]);
      if (state.status !== 'absent') throw new DomainError('already_exists', `environment "${key}" already exists`, [], state.version);
      checkExpectedVersion(command.meta, state.version);
      return [
        { type: 'EnvironmentCreated', data: { key, name, description: description ?? '', production: production ?? false } },
      ];
    }
    default:
      return assertNever(command.type, 'environment command');
  }
}

export function evolveEnvironment(state: EnvironmentState, event: EnvironmentEvent): EnvironmentState {
  switch (event.type) {
    case 'EnvironmentCreated':
      return { status: 'active', version: state.version + 1, ...event.data };
    default:
      return assertNever(event.type, 'environment event');
  }
}
