import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { silentLogger, type FlagpoleLogger } from '../logger';
import { readSnapshot, SNAPSHOT_FORMAT, SnapshotWriter, writeSnapshot, type FlagpoleSnapshot } from './snapshot';

const where = { environment: 'production', topic: 'flagpole.flags.production' };
const snapshot = (records = 0): FlagpoleSnapshot => ({
  format: SNAPSHOT_FORMAT,
  ...where,
  writtenAt: '2026-01-01T00:00:00.000Z',
  offsets: { '0': String(records) },
  records: Array.from({ length: records }, (_, i) => ({ kind: 'segment' as const, segment: { key: `s${i}` }, version: 1, sequence: i, updatedAt: '2026-01-01T00:00:00Z' })),
});

describe('snapshot files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'flagpole-snapshot-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes through a temporary file and a rename, creating the directory, leaving no temporary file behind', async () => {
    const file = path.join(dir, 'a', 'b', 'flags.json');
    await writeSnapshot(file, snapshot(3));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(snapshot(3));
    expect(readdirSync(path.dirname(file))).toEqual(['flags.json']);
    expect(await readSnapshot(file, where, silentLogger)).toEqual(snapshot(3));
  });

  it('ignores, with a warning, a missing, corrupt, foreign or other-environment snapshot', async () => {
    const warnings: string[] = [];
    const logger: FlagpoleLogger = { ...silentLogger, warn: (_f, m) => void warnings.push(m) };
    const file = path.join(dir, 'flags.json');
    expect(await readSnapshot(file, where, logger)).toBeUndefined();
    writeFileSync(file, '{"format": "flagpole-sdk-snapshot/1", "records": [');
    expect(await readSnapshot(file, where, logger)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    expect(await readSnapshot(file, where, logger)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...snapshot(), environment: 'staging' }));
    expect(await readSnapshot(file, where, logger)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('not valid JSON'), expect.stringContaining('not a flagpole'), expect.stringContaining('another environment')]);
  });

  it('debounces writes: one write for a burst of changes, after the quiet period', async () => {
    const file = path.join(dir, 'flags.json');
    let taken = 0;
    const writer = new SnapshotWriter(file, () => snapshot(++taken), { debounceMs: 50, maxDelayMs: 1000, now: Date.now }, silentLogger, () => undefined);
    for (let i = 0; i < 10; i++) writer.schedule();
    await new Promise((r) => setTimeout(r, 20));
    expect(taken).toBe(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(taken).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).records).toHaveLength(1);
  });

  it('writes no later than maxDelayMs while changes keep coming, and flush() writes what is pending', async () => {
    const file = path.join(dir, 'flags.json');
    let taken = 0;
    const writer = new SnapshotWriter(file, () => snapshot(++taken), { debounceMs: 40, maxDelayMs: 100, now: Date.now }, silentLogger, () => undefined);
    const started = Date.now();
    while (Date.now() - started < 250) {
      writer.schedule();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(taken).toBeGreaterThanOrEqual(2);
    const before = taken;
    writer.schedule();
    await writer.flush();
    expect(taken).toBe(before + 1);
    await writer.flush(); // nothing pending: no write
    expect(taken).toBe(before + 1);
  });

  it('reports a failed write and keeps the change pending', async () => {
    const errors: Error[] = [];
    writeFileSync(path.join(dir, 'blocker'), 'a file where a directory should be');
    const writer = new SnapshotWriter(path.join(dir, 'blocker', 'flags.json'), () => snapshot(), { debounceMs: 1, maxDelayMs: 1, now: Date.now }, silentLogger, (e) => void errors.push(e));
    writer.schedule();
    await writer.flush();
    expect(errors).toHaveLength(1);
    await writer.flush(); // still pending: tried again
    expect(errors).toHaveLength(2);
  });
});
