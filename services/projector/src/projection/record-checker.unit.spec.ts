import type { EventEnvelope } from '@flagpole/domain';
import { generateHistory } from '../../../../libs/read-model/test/support/history';
import type { RecordVerdict } from './record-check';
import { RecordChecker, type RawRecord } from './record-checker';

const history = generateHistory(300, { seed: 9 });
const record = (text: string, offset: number): RawRecord => ({ partition: 0, offset: String(offset), bytes: Buffer.from(text, 'utf8') });

/** Submits `batches` and resolves with every verdict, in submission order, once all came in. */
function checkAll(threaded: boolean, batches: readonly (readonly RawRecord[])[], during?: (checker: RecordChecker<RawRecord>) => Promise<void>) {
  const total = batches.reduce((n, b) => n + b.length, 0);
  return new Promise<{ verdicts: RecordVerdict[]; offsets: string[]; checker: RecordChecker<RawRecord> }>((resolve) => {
    const verdicts: RecordVerdict[] = [];
    const offsets: string[] = [];
    const checker: RecordChecker<RawRecord> = new RecordChecker<RawRecord>(
      (records, v) => {
        records.forEach((r) => offsets.push(r.offset));
        verdicts.push(...v);
        if (verdicts.length === total) resolve({ verdicts, offsets, checker });
      },
      { threaded },
    );
    void (async () => {
      for (const [i, batch] of batches.entries()) {
        checker.check(batch);
        if (i === 0 && during) await during(checker);
      }
    })();
  });
}

describe('RecordChecker', () => {
  const texts = history.map((e) => JSON.stringify(e));
  // Altered after it was written: same recorded hash, other content.
  texts[150] = JSON.stringify({ ...history[150]!, reason: 'forged' } as EventEnvelope);
  texts[151] = '{"broken';
  texts[152] = JSON.stringify({ hello: 'world' });
  const records = texts.map((t, i) => record(t, i));

  for (const threaded of [true, false]) {
    it(`${threaded ? 'on a worker thread' : 'in-process'}: places every event and says which are intact, in submission order`, async () => {
      const { verdicts, offsets, checker } = await checkAll(threaded, [records.slice(0, 100), records.slice(100)]);
      expect(checker.threaded).toBe(threaded);
      expect(checker.inFlight).toBe(0);
      await checker.close();
      expect(offsets).toEqual(records.map((r) => r.offset));
      expect(verdicts[0]).toEqual({ head: { sequence: 1, hash: history[0]!.hash, prevHash: history[0]!.prevHash, id: history[0]!.id }, intact: true });
      expect(verdicts.flatMap((v, i) => (v.head && !v.intact ? [i] : []))).toEqual([150]);
      expect(verdicts[151]!.error).toMatch(/JSON/);
      expect(verdicts[152]).toEqual({ error: 'not an event envelope' });
    });
  }

  it('checks what the worker still owed, and everything after, on this thread when the worker dies', async () => {
    let killed = false;
    const { verdicts, offsets, checker } = await checkAll(true, [records.slice(0, 200), records.slice(200)], async (c) => {
      // Terminating the worker goes through the same path as a crash of it.
      await (c as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      killed = true;
    });
    expect(killed).toBe(true);
    expect(checker.threaded).toBe(false);
    await checker.close();
    expect(offsets).toEqual(records.map((r) => r.offset));
    expect(verdicts.flatMap((v, i) => (v.head && !v.intact ? [i] : []))).toEqual([150]);
  });
});
