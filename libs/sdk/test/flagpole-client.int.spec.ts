import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FlagpoleClient, type FlagpoleClientOptions, type FlagpoleSnapshot } from '@flagpole/sdk';
import { TopicReader } from '@flagpole/kafka';
import type { Kafka } from 'kafkajs';
import { uniqueName } from '../../../test/support/unique-name';
import {
  createFlagsTopic,
  deleteTopics,
  flagRecord,
  segmentRecord,
  stateMessage,
  StateWriter,
  testBrokers,
  testKafka,
  tombstone,
} from './support/flag-records';
import { Clients, nextChange, nextFlagChange, waitFor } from './support/sdk-helpers';

const ENV = 'production';

describe('FlagpoleClient against a real broker (records written straight to the compacted topic)', () => {
  const clients = new Clients();
  const topics: string[] = [];
  let kafka: Kafka;
  let dir: string;

  /** A fresh prefix whose flags topic exists, and a writer for it. */
  async function environment(partitions = 1, config: Record<string, string> = {}): Promise<{ prefix: string; topic: string; writer: StateWriter }> {
    const prefix = uniqueName('fpsdk');
    const topic = `${prefix}.flags.${ENV}`;
    await createFlagsTopic(kafka, topic, partitions, config);
    topics.push(topic);
    return { prefix, topic, writer: new StateWriter(kafka, topic) };
  }

  const client = (prefix: string, extra: Partial<FlagpoleClientOptions> = {}) =>
    clients.add(new FlagpoleClient({ brokers: testBrokers(), environment: ENV, topicPrefix: prefix, ...extra }));

  beforeAll(() => {
    kafka = testKafka();
    dir = mkdtempSync(path.join(tmpdir(), 'flagpole-sdk-int-'));
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await deleteTopics(kafka, topics);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready with all 10,000 flags after a fresh start, 1,000 records per transaction', async () => {
    const { prefix, writer } = await environment();
    const records = Array.from({ length: 10_000 }, (_, i) =>
      stateMessage(ENV, flagRecord(ENV, `flag-${i}`, { rules: [{ id: 'r', condition: { attribute: 'country', operator: 'in', values: [`C${i % 7}`] }, serve: { variant: 'on' } }], fallthrough: { variant: 'off' } })),
    );
    await writer.write(records, { perTransaction: 1000 });
    await writer.close();

    const sdk = client(prefix);
    const status = await sdk.start();
    expect(status).toMatchObject({ state: 'READY', source: 'kafka', flags: 10_000 });
    // 10,000 records + 10 commit markers (+ the markers of any earlier, aborted attempts: none).
    expect(status.offsets).toEqual({ '0': '10010' });
    expect(sdk.getBooleanValue('flag-9999', false, { country: `C${9999 % 7}` })).toBe(true);
    expect(sdk.getBooleanValue('flag-9999', true, { country: 'elsewhere' })).toBe(false);
    expect(sdk.getBooleanDetails('flag-0', false, { country: 'C0' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH', ruleId: 'r' });
  });

  it('reads every partition to the end captured at start despite commit markers, an aborted transaction and an empty partition', async () => {
    const { prefix, writer } = await environment(3);
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'a')), stateMessage(ENV, flagRecord(ENV, 'b'))], { partition: 0 });
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'c'))], { partition: 1 });
    // The last thing in partition 1 is an aborted transaction: records plus an abort marker that
    // are never delivered, yet occupy offsets up to the end captured at start.
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'aborted')), stateMessage(ENV, flagRecord(ENV, 'c', { on: false }, 2))], { partition: 1, abort: true });
    await writer.close();
    // partition 2 stays empty

    const sdk = client(prefix);
    const status = await sdk.start();
    expect(status.state).toBe('READY');
    expect(sdk.flagKeys().sort()).toEqual(['a', 'b', 'c']);
    expect(sdk.getBooleanDetails('c', false)).toMatchObject({ value: true, reason: 'DEFAULT', flagVersion: 1 });
    expect(status.offsets).toEqual({ '0': '3', '1': '5' });
  });

  it('is ready with the latest value of every key once compaction has removed older records (offset gaps)', async () => {
    const { prefix, topic, writer } = await environment(1, { 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0.01', 'delete.retention.ms': '0' });
    for (let version = 1; version <= 20; version++) {
      await writer.write([stateMessage(ENV, flagRecord(ENV, 'hot', { on: version % 2 === 0 }, version)), stateMessage(ENV, flagRecord(ENV, `cold-${version}`))]);
      await new Promise((r) => setTimeout(r, 120)); // let the segment roll, so the cleaner may compact it
    }
    await writer.write([tombstone(ENV, 'flag', 'cold-1')]);
    await writer.close();
    const written = 41; // 20 × 2 records + the tombstone, plus a commit marker per transaction
    await waitFor(async () => (await committedOffsets(topic)).length < written, 90_000, 'compaction');
    const remaining = await committedOffsets(topic);
    expect(remaining.length).toBeLessThan(written);

    const sdk = client(prefix);
    const status = await sdk.start();
    expect(status).toMatchObject({ state: 'READY', flags: 20, offsets: { '0': '62' } }); // 21 transactions: 41 records + 21 markers
    expect(sdk.getBooleanDetails('hot', false)).toMatchObject({ value: true, flagVersion: 20 });
    expect(sdk.flagKeys()).not.toContain('cold-1');
  });

  it('removes flags and segments on tombstones, at start and live', async () => {
    const { prefix, writer } = await environment();
    await writer.write([
      stateMessage(ENV, segmentRecord({ key: 'beta', included: ['u1'] })),
      stateMessage(ENV, flagRecord(ENV, 'gone')),
      stateMessage(ENV, flagRecord(ENV, 'stays', { rules: [{ id: 'beta', condition: { attribute: 'targetingKey', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }], fallthrough: { variant: 'off' } })),
      tombstone(ENV, 'flag', 'gone'),
    ]);
    const sdk = client(prefix);
    await sdk.start();
    expect(sdk.flagKeys()).toEqual(['stays']);
    expect(sdk.getBooleanDetails('gone', true)).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });
    expect(sdk.getBooleanValue('stays', false, { targetingKey: 'u1' })).toBe(true);

    const change = nextChange(sdk, (e) => e.segments.length > 0);
    await writer.write([tombstone(ENV, 'segment', 'beta')]);
    const event = await change;
    expect(event.segments).toEqual([{ key: 'beta', type: 'removed', previousVersion: 1 }]);
    expect(event.flags).toEqual([{ key: 'stays', type: 'updated', cause: 'segment', version: 1, previousVersion: 1 }]);
    expect(sdk.status().segments).toBe(0);
    expect(sdk.getBooleanValue('stays', true, { targetingKey: 'u1' })).toBe(false); // a missing segment has no members
    await writer.close();
  });

  it('never goes backwards: a record older than the version held is ignored', async () => {
    const { prefix, writer } = await environment();
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f', { on: true }, 5))]);
    const sdk = client(prefix);
    await sdk.start();
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f', { on: false }, 3))]);
    const newer = nextFlagChange(sdk, 'f');
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f', { on: false }, 6))]);
    // The v3 record came first in the partition: had it been applied, the first change would say so.
    expect(await newer).toMatchObject({ version: 6, previousVersion: 5 });
    expect(sdk.getBooleanDetails('f', true)).toMatchObject({ value: false, reason: 'DISABLED', flagVersion: 6 });
    await writer.close();

    // A fresh client reads [v5, v3, v6]: the last word per key wins; a snapshot newer than the topic keeps its version.
    const fresh = client(prefix);
    await fresh.start();
    expect(fresh.getBooleanDetails('f', true)).toMatchObject({ flagVersion: 6 });
  });

  it('keeps the newer version of a snapshot over an older record in the topic, and drops keys the topic no longer has', async () => {
    const { prefix, topic, writer } = await environment();
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f', { on: false }, 2)), stateMessage(ENV, flagRecord(ENV, 'g'))]);
    await writer.close();
    const file = path.join(dir, `${prefix}.json`);
    const snapshot: FlagpoleSnapshot = {
      format: 'flagpole-sdk-snapshot/1',
      environment: ENV,
      topic,
      writtenAt: new Date().toISOString(),
      offsets: { '0': '99' },
      // v7 of f (newer than the topic's v2) and h, whose tombstone was compacted away
      records: [flagRecord(ENV, 'f', { on: true }, 7), flagRecord(ENV, 'h')],
    };
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify(snapshot)));

    const sdk = client(prefix, { snapshotPath: file });
    const change = nextChange(sdk);
    await sdk.start();
    expect(sdk.getBooleanDetails('f', false)).toMatchObject({ value: true, flagVersion: 7, reason: 'DEFAULT' });
    expect(sdk.flagKeys().sort()).toEqual(['f', 'g']);
    const event = await change;
    expect(new Set(event.flags.map((f) => `${f.key}:${f.type}`))).toEqual(new Set(['h:removed', 'g:added']));
  });

  it('persists a snapshot atomically after it is ready and after changes', async () => {
    const { prefix, topic, writer } = await environment();
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f'))]);
    const file = path.join(dir, 'nested', `${prefix}.json`);
    const sdk = client(prefix, { snapshotPath: file, snapshotDebounceMs: 20 });
    await sdk.start();
    await waitFor(() => readSnapshotFile(file)?.records.length === 1);
    expect(readSnapshotFile(file)).toMatchObject({ format: 'flagpole-sdk-snapshot/1', environment: ENV, topic, offsets: { '0': '2' } });

    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f', { on: false }, 2)), stateMessage(ENV, flagRecord(ENV, 'g'))]);
    await waitFor(() => readSnapshotFile(file)?.records.length === 2);
    const written = readSnapshotFile(file);
    expect(written?.records.find((r) => r.kind === 'flag' && r.flag.key === 'f')).toMatchObject({ version: 2 });
    expect(written?.offsets).toEqual({ '0': '5' });
    await writer.close();
  });

  it('serves the callers’ defaults with PROVIDER_NOT_READY when Kafka is unreachable and there is no snapshot', async () => {
    const sdk = client('nowhere', { brokers: ['127.0.0.1:1'], startTimeoutMs: 300, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    const errors: Error[] = [];
    sdk.on('error', (e) => errors.push(e));
    const started = Date.now();
    const status = await sdk.start();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(status).toMatchObject({ state: 'ERROR', source: 'none', flags: 0 });
    expect(status.startup.timedOut).toBeGreaterThanOrEqual(300);
    expect(sdk.getBooleanValue('anything', true)).toBe(true);
    expect(sdk.getJsonDetails('anything', { a: 1 })).toEqual({
      flagKey: 'anything',
      value: { a: 1 },
      reason: 'ERROR',
      errorCode: 'PROVIDER_NOT_READY',
      errorMessage: expect.any(String),
      stale: true,
      source: 'none',
    });
    expect(errors[0]?.message).toMatch(/not ready after 300 ms/);
    // The reconnect loop keeps trying and reports why it fails.
    await waitFor(() => sdk.status().lastError !== undefined);
    expect(sdk.status().lastError).toMatch(/ECONNREFUSED|connect/i);
  });

  it('serves the last snapshot with reason CACHED when Kafka is unreachable at start', async () => {
    const { prefix, writer } = await environment();
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f', { rules: [{ id: 'us', condition: { attribute: 'country', operator: 'in', values: ['US'] }, serve: { variant: 'on' } }], fallthrough: { variant: 'off' } }, 3))]);
    await writer.close();
    const file = path.join(dir, `${prefix}-cached.json`);
    const live = client(prefix, { snapshotPath: file, snapshotDebounceMs: 10 });
    await live.start();
    await live.close(); // flushes the snapshot

    const offline = client(prefix, { brokers: ['127.0.0.1:1'], snapshotPath: file, startTimeoutMs: 300 });
    const stale = new Promise((resolve) => offline.once('stale', resolve));
    const status = await offline.start();
    await stale;
    expect(status).toMatchObject({ state: 'STALE', source: 'snapshot', flags: 1, offsets: { '0': '2' } });
    expect(offline.getBooleanValue('f', false, { country: 'US' })).toBe(true);
    expect(offline.getBooleanDetails('f', false, { country: 'US' })).toEqual({
      flagKey: 'f',
      value: true,
      variant: 'on',
      reason: 'CACHED',
      ruleId: 'us',
      stale: true,
      evaluationReason: 'TARGETING_MATCH',
      source: 'snapshot',
      flagVersion: 3,
    });
    expect(offline.getBooleanDetails('missing', false)).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', stale: true });
  });

  it('leaves its consumer group and stops reading when closed', async () => {
    const { prefix, writer } = await environment();
    await writer.write([stateMessage(ENV, flagRecord(ENV, 'f'))]);
    const groupIdPrefix = uniqueName('sdk-close');
    const sdk = client(prefix, { groupIdPrefix });
    await sdk.start();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups.filter((g) => g.groupId.startsWith(groupIdPrefix));
      expect(groups).toHaveLength(1);
      const [before] = (await admin.describeGroups([groups[0].groupId])).groups;
      expect(before.members).toHaveLength(1);

      await sdk.close();
      const [after] = (await admin.describeGroups([groups[0].groupId])).groups;
      expect(after.members).toHaveLength(0);
      expect(sdk.status().state).toBe('CLOSED');
      // Still answers from what it held, now flagged as possibly stale.
      expect(sdk.getBooleanDetails('f', false)).toMatchObject({ value: true, reason: 'STALE', evaluationReason: 'DEFAULT', stale: true });

      let changed = false;
      sdk.on('change', () => (changed = true));
      await writer.write([stateMessage(ENV, flagRecord(ENV, 'f', { on: false }, 2))]);
      await new Promise((r) => setTimeout(r, 500));
      expect(changed).toBe(false);
    } finally {
      await admin.disconnect();
      await writer.close();
    }
  });
});

/** Offsets of the records a read_committed reader gets, read from the beginning to the end. */
async function committedOffsets(topic: string): Promise<string[]> {
  const offsets: string[] = [];
  const reader = new TopicReader({ kafka: testKafka(), topic, tail: false, groupIdPrefix: 'flagpole-sdk-test', onRecord: (r) => void offsets.push(r.offset) });
  await reader.start();
  return offsets;
}

function readSnapshotFile(file: string): FlagpoleSnapshot | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as FlagpoleSnapshot;
  } catch {
    return undefined;
  }
}
