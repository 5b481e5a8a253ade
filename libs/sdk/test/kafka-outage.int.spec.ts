import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FlagpoleClient, type FlagpoleClientOptions, type FlagpoleStatus } from '@flagpole/sdk';
import type { Kafka } from 'kafkajs';
import { createFlagsTopic, flagRecord, stateMessage, StateWriter, testKafka } from './support/flag-records';
import { PrivateBroker } from './support/private-broker';
import { Clients, nextChange, waitFor } from './support/sdk-helpers';

const ENV = 'production';
const PREFIX = 'outage';
const TOPIC = `${PREFIX}.flags.${ENV}`;

/**
 * The shared broker cannot be stopped (other suites use it), so these tests run their own
 * single-node broker (same jars and config template as infra/bin/kafka.sh, temporary data dir,
 * free ports) and really stop and restart it: the SDK sees connections refused, then the same
 * broker with the same log back.
 */
const withBroker = PrivateBroker.available() ? describe : describe.skip;

withBroker('when Kafka goes away and comes back (a private broker this suite stops and restarts)', () => {
  let broker: PrivateBroker;
  let kafka: Kafka;
  let dir: string;
  const clients = new Clients();

  const client = (extra: Partial<FlagpoleClientOptions> = {}) =>
    clients.add(
      new FlagpoleClient({
        brokers: broker.brokers,
        environment: ENV,
        topicPrefix: PREFIX,
        reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
        staleAfterMs: 1500,
        ...extra,
      }),
    );

  async function write(...records: Parameters<StateWriter['write']>[0]): Promise<void> {
    const writer = new StateWriter(kafka, TOPIC);
    try {
      await writer.write(records);
    } finally {
      await writer.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flagpole-sdk-outage-'));
    broker = await PrivateBroker.create();
    await broker.start();
    kafka = testKafka(broker.brokers);
    await createFlagsTopic(kafka, TOPIC);
    await write(stateMessage(ENV, flagRecord(ENV, 'f')), stateMessage(ENV, flagRecord(ENV, 'g')));
  }, 180_000);

  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await clients.closeAll();
    await broker?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('serves the snapshot (CACHED) while Kafka is down at start, then goes live and reports what changed once it returns', async () => {
    const file = path.join(dir, 'flags.json');
    const first = client({ snapshotPath: file, snapshotDebounceMs: 10 });
    expect((await first.start()).state).toBe('READY');
    // A commit returns before its markers are in the partition, so the end offsets captured at
    // start may precede the set-up records by a moment; they then arrive live.
    await waitFor(() => first.status().flags === 2);
    await first.close(); // writes the snapshot

    await broker.stop();
    try {
      await servesSnapshotThenGoesLive(file);
    } finally {
      await broker.start(); // whatever happened, the next test needs the broker
    }
  }, 180_000);

  async function servesSnapshotThenGoesLive(file: string): Promise<void> {
    const restarted = client({ snapshotPath: file, startTimeoutMs: 1000 });
    const status = await restarted.start();
    expect(status).toMatchObject({ state: 'STALE', source: 'snapshot', flags: 2 });
    expect(restarted.getBooleanDetails('f', false)).toMatchObject({ value: true, reason: 'CACHED', evaluationReason: 'DEFAULT', stale: true });

    const ready = new Promise<FlagpoleStatus>((resolve) => restarted.once('ready', resolve));
    const change = nextChange(restarted, () => true, 120_000);
    await broker.start();
    await write(stateMessage(ENV, flagRecord(ENV, 'f', { on: false }, 2)));

    expect(await ready).toMatchObject({ state: 'READY', source: 'kafka' });
    const event = await change;
    expect(event.flags).toEqual([{ key: 'f', type: 'updated', cause: 'flag', version: 2, previousVersion: 1 }]);
    expect(restarted.getBooleanDetails('f', true)).toMatchObject({ value: false, reason: 'DISABLED', stale: false, source: 'kafka' });
  }

  it('turns STALE when Kafka goes away while live, keeps serving, and is READY again with new changes once it returns', async () => {
    const live = client();
    await live.start();
    expect(live.status().state).toBe('READY');

    await waitFor(() => live.status().flags === 2);
    const stale = new Promise<FlagpoleStatus>((resolve) => live.once('stale', resolve));
    await broker.stop();
    expect(await stale).toMatchObject({ state: 'STALE', source: 'kafka', lastError: expect.any(String) });
    expect(live.getBooleanDetails('g', false)).toMatchObject({ value: true, reason: 'STALE', evaluationReason: 'DEFAULT', stale: true });
    expect(live.getBooleanValue('g', false)).toBe(true);

    const ready = new Promise<FlagpoleStatus>((resolve) => live.once('ready', resolve));
    await broker.start();
    await ready;
    const change = nextChange(live, (e) => e.flagKeys.includes('g'), 60_000);
    await write(stateMessage(ENV, flagRecord(ENV, 'g', { on: false }, 2)));
    await change;
    expect(live.getBooleanDetails('g', true)).toMatchObject({ value: false, reason: 'DISABLED', stale: false });
  }, 180_000);
});
