import { command, deciderSpec } from '../testing/decider-spec';
import type { CreateSegment, DeleteSegment, UpdateSegment } from './segment.commands';
import { decideSegment, evolveSegment } from './segment.decider';
import type { SegmentCreated, SegmentDeleted, SegmentRules, SegmentUpdated } from './segment.events';
import { initialSegmentState } from './segment.state';

const segment = deciderSpec({ decide: decideSegment, evolve: evolveSegment, initialState: initialSegmentState });

const rules: SegmentRules = {
  included: ['alice', 'bob'],
  excluded: ['mallory'],
  condition: { attribute: 'email', operator: 'endsWith', values: ['@example.com'] },
};

type Payload = CreateSegment['data'];
const payload = (data: Partial<Payload> = {}): Payload => ({ environment: 'production', key: 'beta-testers', name: 'Beta testers', rules, ...data });
const create = (data: Partial<Payload> = {}, expectedVersion?: number): CreateSegment => command('CreateSegment', payload(data), { expectedVersion });
const update = (data: Partial<Payload> = {}, expectedVersion?: number): UpdateSegment => command('UpdateSegment', payload(data), { expectedVersion });
const remove = (expectedVersion?: number, environment = 'production'): DeleteSegment =>
  command('DeleteSegment', { environment, key: 'beta-testers' }, { expectedVersion });

const created: SegmentCreated = {
  type: 'SegmentCreated',
  data: { environment: 'production', key: 'beta-testers', name: 'Beta testers', description: '', rules },
};
const deleted: SegmentDeleted = { type: 'SegmentDeleted', data: {} };

describe('decideSegment: CreateSegment', () => {
  it('creates a segment with its rules, defaulting the description to ""', () => {
    const state = segment.given([]).when(create()).then([created]);
    expect(state).toEqual({ status: 'active', version: 1, ...created.data });
  });

  it('keeps the given description', () => {
    segment
      .given([])
      .when(create({ description: 'Opted in to early access' }))
      .then([{ ...created, data: { ...created.data, description: 'Opted in to early access' } }]);
  });

  it('accepts an empty rules object (a segment nobody is in yet)', () => {
    segment.given([]).when(create({ rules: {} })).then([{ ...created, data: { ...created.data, rules: {} } }]);
  });

  it('refuses a duplicate with already_exists and the current version', () => {
    segment.given([created]).when(create()).thenThrows({ code: 'already_exists', problems: [], currentVersion: 1 });
  });

  it('re-creates a deleted segment, continuing its version', () => {
    const state = segment
      .given([created, deleted])
      .when(create({ rules: { included: ['carol'] } }, 2))
      .then([{ ...created, data: { ...created.data, rules: { included: ['carol'] } } }]);
    expect(state).toMatchObject({ status: 'active', version: 3, rules: { included: ['carol'] } });
  });

  it('refuses an unknown environment with not_found', () => {
    segment.given([]).when(create({ environment: 'qa' })).thenThrows({ code: 'not_found', problems: [] });
  });

  it('rejects a malformed environment and key together, before anything else', () => {
    segment
      .given([])
      .when(create({ environment: 'Prod', key: 'Beta Testers', name: '' }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'environment' }, { field: 'key' }] });
  });

  it('reports the name, description and every rule problem together, under rules.', () => {
    segment
      .given([])
      .when(
        create({
          name: ' ',
          description: 'd'.repeat(2001),
          rules: {
            included: ['alice', 7],
            attribute: '',
            condition: { attribute: 'plan', operator: 'segment', values: ['other'] },
            colour: 'red',
          },
        }),
      )
      .thenThrows({
        code: 'validation_failed',
        problems: [
          { field: 'name', problem: 'must not be blank' },
          { field: 'description', problem: 'must be at most 2000 characters' },
          { field: 'rules.colour', problem: 'unknown property' },
          { field: 'rules.included[1]', problem: 'must be a string of at most 1024 characters' },
          { field: 'rules.attribute' },
          { field: 'rules.condition.operator', problem: 'segments cannot reference other segments' },
        ],
      });
  });

  it.each([[null], [['alice']], ['everyone']])('rejects rules that are not an object: %j', (bad) => {
    segment
      .given([])
      .when(create({ rules: bad }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'rules', problem: 'must be an object with included, excluded, attribute and/or condition' }] });
  });

  it('rejects a key inside the rules instead of storing it next to the segment key', () => {
    segment
      .given([])
      .when(create({ rules: { key: 'someone-else', included: ['alice'] } }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'rules.key', problem: 'unknown property' }] });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    segment.given([]).when(create({}, 1)).thenThrows({ code: 'version_conflict', problems: [], currentVersion: 0 });
  });
});

describe('decideSegment: UpdateSegment', () => {
  it('replaces name, description and rules', () => {
    const next: SegmentUpdated = { type: 'SegmentUpdated', data: { name: 'Early access', description: 'Wave 2', rules: { included: ['carol'] } } };
    const state = segment
      .given([created])
      .when(update({ name: 'Early access', description: 'Wave 2', rules: { included: ['carol'] } }))
      .then([next]);
    expect(state).toEqual({ status: 'active', version: 2, environment: 'production', key: 'beta-testers', ...next.data });
  });

  it('resets an omitted description to ""', () => {
    segment
      .given([created, { type: 'SegmentUpdated', data: { name: 'Beta testers', description: 'Wave 1', rules } }])
      .when(update())
      .then([{ type: 'SegmentUpdated', data: { name: 'Beta testers', description: '', rules } }]);
  });

  it('decides nothing when nothing changes', () => {
    segment.given([created]).when(update()).then([]);
  });

  it('refuses an unknown or deleted segment with not_found', () => {
    segment.given([]).when(update()).thenThrows({ code: 'not_found', problems: [] });
    segment.given([created, deleted]).when(update()).thenThrows({ code: 'not_found', problems: [] });
  });

  it('rejects invalid rules', () => {
    segment
      .given([created])
      .when(update({ rules: { excluded: 'mallory' } }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'rules.excluded', problem: 'must be an array, not string' }] });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    segment.given([created]).when(update({ name: 'Renamed' }, 0)).thenThrows({ code: 'version_conflict', currentVersion: 1 });
  });
});

describe('decideSegment: DeleteSegment', () => {
  it('deletes an unused segment', () => {
    const state = segment.given([created]).when(remove()).then([deleted]);
    expect(state).toEqual({ status: 'deleted', version: 2 });
  });

  it('refuses while flags use it, with in_use naming the flags', () => {
    const error = segment
      .given([created])
      .withContext({ segmentUsers: { 'production/beta-testers': ['checkout', 'banner'] } })
      .when(remove())
      .thenThrows({
        code: 'in_use',
        problems: [
          { field: 'key', problem: 'is used by flag "checkout"' },
          { field: 'key', problem: 'is used by flag "banner"' },
        ],
        currentVersion: 1,
      });
    expect(error.message).toBe('segment "beta-testers" is used by "checkout", "banner" in "production"');
  });

  it('is not held back by flags using a segment of the same key in another environment', () => {
    segment.given([created]).withContext({ segmentUsers: { 'staging/beta-testers': ['checkout'] } }).when(remove()).then([deleted]);
  });

  it('refuses an unknown or already deleted segment with not_found', () => {
    segment.given([]).when(remove()).thenThrows({ code: 'not_found' });
    segment.given([created, deleted]).when(remove()).thenThrows({ code: 'not_found' });
  });

  it('refuses an unknown environment with not_found', () => {
    segment.given([created]).when(remove(undefined, 'qa')).thenThrows({ code: 'not_found' });
  });

  it('rejects a stale expectedVersion with version_conflict and the current version', () => {
    segment.given([created]).when(remove(0)).thenThrows({ code: 'version_conflict', currentVersion: 1 });
  });
});
