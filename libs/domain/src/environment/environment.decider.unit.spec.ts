import { command, deciderSpec } from '../testing/decider-spec';
import type { CreateEnvironment } from './environment.commands';
import { decideEnvironment, evolveEnvironment } from './environment.decider';
import type { EnvironmentCreated } from './environment.events';
import { initialEnvironmentState } from './environment.state';

const environment = deciderSpec({ decide: decideEnvironment, evolve: evolveEnvironment, initialState: initialEnvironmentState });

const create = (data: Partial<CreateEnvironment['data']> = {}, expectedVersion?: number): CreateEnvironment =>
  command('CreateEnvironment', { key: 'production', name: 'Production', ...data }, { expectedVersion });

const created: EnvironmentCreated = {
  type: 'EnvironmentCreated',
  data: { key: 'production', name: 'Production', description: '', production: false },
};

describe('decideEnvironment: CreateEnvironment', () => {
  it('creates an environment, defaulting description to "" and production to false', () => {
    const state = environment.given([]).when(create()).then([created]);
    expect(state).toEqual({ status: 'active', version: 1, key: 'production', name: 'Production', description: '', production: false });
  });

  it('keeps the given description and production flag', () => {
    environment
      .given([])
      .when(create({ description: 'Live traffic', production: true }))
      .then([{ type: 'EnvironmentCreated', data: { key: 'production', name: 'Production', description: 'Live traffic', production: true } }]);
  });

  it('accepts hyphenated keys up to 63 characters', () => {
    const key = `a${'-b'.repeat(31)}`;
    expect(key).toHaveLength(63);
    environment
      .given([])
      .when(create({ key }))
      .then([{ type: 'EnvironmentCreated', data: { ...created.data, key } }]);
  });

  it('refuses a duplicate with already_exists and the current version', () => {
    environment.given([created]).when(create({ name: 'Another name' })).thenThrows({ code: 'already_exists', problems: [], currentVersion: 1 });
  });

  it('reports every invalid field at once', () => {
    environment
      .given([])
      .when(
        command('CreateEnvironment', {
          key: 'Prod_1',
          name: '   ',
          description: 'x'.repeat(2001),
          production: 'yes' as unknown as boolean,
        }),
      )
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'key', problem: 'must be 1-63 characters of a-z, 0-9 or "-", starting with a letter or digit' },
          { field: 'name', problem: 'must not be blank' },
          { field: 'description', problem: 'must be at most 2000 characters' },
          { field: 'production', problem: 'must be a boolean' },
        ],
      });
  });

  it.each([
    ['an upper-case letter', 'Production'],
    ['an underscore (not legal in the topic-name scheme)', 'pre_prod'],
    ['a dot', 'eu.prod'],
    ['a leading hyphen', '-prod'],
    ['the empty string', ''],
    ['64 characters', 'a'.repeat(64)],
  ])('rejects a key with %s', (_case, key) => {
    environment.given([]).when(create({ key })).thenThrows({ code: 'validation_failed', problems: [{ field: 'key' }] });
  });

  it('rejects a missing name and a non-string key', () => {
    environment
      .given([])
      .when(command('CreateEnvironment', { key: 42 as unknown as string, name: undefined as unknown as string }))
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'key', problem: 'must be a string' },
          { field: 'name', problem: 'is required' },
        ],
      });
  });

  it('rejects a name longer than 200 characters', () => {
    environment
      .given([])
      .when(create({ name: 'n'.repeat(201) }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'name', problem: 'must be at most 200 characters' }] });
  });

  it('validates the payload before looking for a duplicate', () => {
    environment.given([created]).when(create({ name: '' })).thenThrows({ code: 'validation_failed', problems: [{ field: 'name' }] });
  });

  it('accepts expectedVersion 0 for a new environment', () => {
    environment.given([]).when(create({}, 0)).then([created]);
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    environment.given([]).when(create({}, 3)).thenThrows({ code: 'version_conflict', problems: [], currentVersion: 0 });
  });
});

describe('evolveEnvironment', () => {
  it('counts versions from the state it evolves', () => {
    expect(evolveEnvironment({ ...created.data, status: 'active', version: 4 }, created).version).toBe(5);
  });
});
