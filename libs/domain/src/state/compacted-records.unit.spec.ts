import type { FlagEnvironmentConfig } from '@flagpole/evaluation';
import type { FlagpoleCommand } from '../commands';
import type { EventEnvelope } from '../events/event-envelope.types';
import { command, execute, NOW, SHA256_OF_SECRET } from '../testing/decider-spec';
import { compactedRecordsFor, type CompactedRecord } from './compacted-records';
import { FlagpoleState } from './flagpole-state';

const LATER = '2025-01-15T11:30:00.000Z';
const OFF: FlagEnvironmentConfig = { on: false, offVariant: 'off', fallthrough: { variant: 'on' } };
const VARIANTS = { on: true, off: false };

/** production and staging exist, flag `checkout` is created: the usual starting point. */
function world(): FlagpoleState {
  const state = FlagpoleState.empty();
  run(state, [
    command('CreateEnvironment', { key: 'production', name: 'Production' }),
    command('CreateEnvironment', { key: 'staging', name: 'Staging' }),
    command('CreateFlag', { key: 'checkout', name: 'Checkout' }),
  ]);
  return state;
}

/** Executes commands as one batch and returns its envelopes. */
function run(state: FlagpoleState, commands: readonly FlagpoleCommand[]): EventEnvelope[] {
  return commands.flatMap((c) => execute(state, c));
}

function flagRecord(environment: string, config: FlagEnvironmentConfig, version: number, sequence: number, updatedAt = NOW): CompactedRecord {
  return {
    environment,
    key: 'flag/checkout',
    value: {
      kind: 'flag',
      flag: { key: 'checkout', type: 'boolean', variants: VARIANTS, environments: { [environment]: config } },
      version,
      sequence,
      updatedAt,
    },
  };
}

describe('compactedRecordsFor', () => {
  it('calls for nothing after an empty batch', () => {
    expect(compactedRecordsFor([], world())).toEqual([]);
  });

  it('writes a created flag to every active environment in its default (off) configuration', () => {
    const state = FlagpoleState.empty();
    run(state, [command('CreateEnvironment', { key: 'production', name: 'P' }), command('CreateEnvironment', { key: 'staging', name: 'S' })]);
    const batch = run(state, [command('CreateFlag', { key: 'checkout', name: 'Checkout' })]);
    expect(compactedRecordsFor(batch, state)).toEqual([flagRecord('production', OFF, 1, 3), flagRecord('staging', OFF, 1, 3)]);
  });

  it('writes a toggled flag to that environment only', () => {
    const state = world();
    const batch = run(state, [command('ToggleFlag', { key: 'checkout', environment: 'staging', on: true }, { now: LATER })]);
    expect(compactedRecordsFor(batch, state)).toEqual([flagRecord('staging', { ...OFF, on: true }, 2, 4, LATER)]);
  });

  it('writes a configured flag to that environment only', () => {
    const state = world();
    const config: FlagEnvironmentConfig = { on: true, offVariant: 'off', targets: [{ variant: 'on', values: ['alice'] }], fallthrough: { variant: 'off' } };
    const batch = run(state, [command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'production', config })]);
    expect(compactedRecordsFor(batch, state)).toEqual([flagRecord('production', config, 2, 4)]);
  });

  it('writes new variants to every environment', () => {
    const state = world();
    const batch = run(state, [command('SetFlagVariants', { key: 'checkout', variants: { on: true, off: false, dark: false } })]);
    const records = compactedRecordsFor(batch, state);
    expect(records.map((r) => [r.environment, r.key])).toEqual([
      ['production', 'flag/checkout'],
      ['staging', 'flag/checkout'],
    ]);
    expect(records[0].value).toMatchObject({ kind: 'flag', version: 2, flag: { variants: { on: true, off: false, dark: false } } });
  });

  it('writes tombstones in every environment when a flag is archived, and records again when it is restored', () => {
    const state = world();
    const archived = run(state, [command('ArchiveFlag', { key: 'checkout' })]);
    expect(compactedRecordsFor(archived, state)).toEqual([
      { environment: 'production', key: 'flag/checkout', value: null },
      { environment: 'staging', key: 'flag/checkout', value: null },
    ]);
    const restored = run(state, [command('RestoreFlag', { key: 'checkout' })]);
    expect(compactedRecordsFor(restored, state)).toEqual([flagRecord('production', OFF, 3, 5), flagRecord('staging', OFF, 3, 5)]);
  });

  it('writes every active flag, and no archived one, into a new environment', () => {
    const state = world();
    run(state, [command('CreateFlag', { key: 'legacy', name: 'Legacy' }), command('ArchiveFlag', { key: 'legacy' })]);
    const batch = run(state, [command('CreateEnvironment', { key: 'eu-west', name: 'EU West' })]);
    expect(compactedRecordsFor(batch, state)).toEqual([flagRecord('eu-west', OFF, 1, 6)]);
  });

  it('writes a created or updated segment, and a tombstone when it is deleted', () => {
    const state = world();
    const rules = { included: ['alice'], attribute: 'email' };
    const segment = (version: number, sequence: number, r: object = rules): CompactedRecord => ({
      environment: 'staging',
      key: 'segment/beta',
      value: { kind: 'segment', segment: { key: 'beta', ...r }, version, sequence, updatedAt: NOW },
    });
    const create = run(state, [command('CreateSegment', { environment: 'staging', key: 'beta', name: 'Beta', rules })]);
    expect(compactedRecordsFor(create, state)).toEqual([segment(1, 4)]);
    const update = run(state, [command('UpdateSegment', { environment: 'staging', key: 'beta', name: 'Beta', rules: { included: ['bob'] } })]);
    expect(compactedRecordsFor(update, state)).toEqual([segment(2, 5, { included: ['bob'] })]);
    const remove = run(state, [command('DeleteSegment', { environment: 'staging', key: 'beta' })]);
    expect(compactedRecordsFor(remove, state)).toEqual([{ environment: 'staging', key: 'segment/beta', value: null }]);
  });

  it('calls for no record after a metadata update or a token change', () => {
    const state = world();
    const batch = run(state, [
      command('UpdateFlagMetadata', { key: 'checkout', description: 'One-page checkout' }),
      command('IssueToken', { tokenId: 'tok-1', secretHash: SHA256_OF_SECRET, name: 'CI', role: 'editor', environments: '*' }),
      command('RevokeToken', { tokenId: 'tok-1' }),
    ]);
    expect(batch.map((e) => e.type)).toEqual(['FlagMetadataUpdated', 'TokenIssued', 'TokenRevoked']);
    expect(compactedRecordsFor(batch, state)).toEqual([]);
  });

  it('writes one record per environment with the final state when a batch changes a flag several times', () => {
    const state = world();
    const config: FlagEnvironmentConfig = { on: false, offVariant: 'off', fallthrough: { variant: 'off' } };
    const batch = run(state, [
      command('ToggleFlag', { key: 'checkout', environment: 'production', on: true }),
      command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'production', config }),
      command('ToggleFlag', { key: 'checkout', environment: 'production', on: true }),
      command('UpdateFlagMetadata', { key: 'checkout', name: 'Checkout v2' }, { now: LATER }),
    ]);
    expect(batch.map((e) => e.sequence)).toEqual([4, 5, 6, 7]);
    expect(compactedRecordsFor(batch, state)).toEqual([flagRecord('production', { ...config, on: true }, 5, 7, LATER)]);
  });

  it('writes only tombstones for a flag created and archived in the same batch', () => {
    const state = world();
    const batch = run(state, [command('CreateFlag', { key: 'short-lived', name: 'Short' }), command('ArchiveFlag', { key: 'short-lived' })]);
    expect(compactedRecordsFor(batch, state)).toEqual([
      { environment: 'production', key: 'flag/short-lived', value: null },
      { environment: 'staging', key: 'flag/short-lived', value: null },
    ]);
  });

  it('writes records for every flag and segment a mixed batch touches', () => {
    const state = world();
    const batch = run(state, [
      command('CreateFlag', { key: 'banner', name: 'Banner' }),
      command('ToggleFlag', { key: 'checkout', environment: 'production', on: true }),
      command('CreateSegment', { environment: 'production', key: 'beta', name: 'Beta', rules: { included: ['alice'] } }),
    ]);
    expect(compactedRecordsFor(batch, state).map((r) => `${r.environment}:${r.key}@${r.value?.sequence}`)).toEqual([
      'production:flag/banner@6',
      'staging:flag/banner@6',
      'production:flag/checkout@6',
      'production:segment/beta@6',
    ]);
  });
});
