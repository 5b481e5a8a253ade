/** The record-check worker (see record-checker.ts): checkRecord over each record of a request. */
import { parentPort } from 'node:worker_threads';
import { checkRecord, packVerdicts, type RecordVerdict } from './record-check';
import type { RecordCheckReply, RecordCheckRequest } from './record-checker';

parentPort?.on('message', (request: RecordCheckRequest) => {
  const data = Buffer.from(request.data);
  const verdicts = new Array<RecordVerdict>(request.ends.length);
  let start = 0;
  for (let i = 0; i < request.ends.length; i++) {
    const end = request.ends[i]!;
    verdicts[i] = checkRecord(data.toString('utf8', start, end));
    start = end;
  }
  const packed = packVerdicts(verdicts);
  const reply: RecordCheckReply = { id: request.id, verdicts: packed };
  parentPort?.postMessage(reply, [packed.kinds.buffer, packed.sequences.buffer, packed.ends.buffer]);
});
