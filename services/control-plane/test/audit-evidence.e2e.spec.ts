import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { sql, tamper } from '../../projector/test/support/read-model-db';
import { fetchText, mutate, startQuerySide, type QuerySide } from './support/query-side.harness';

/*
 * The audit trail as evidence. The export is checked by an independent implementation of the
 * algorithm in docs/compliance.md — json-canonicalize and node:crypto only, none of Flagpole's
 * own verification code — and tampering in Postgres is named by the verify route.
 */

const GENESIS = '0'.repeat(64);

type Verdict = { readonly ok: true; readonly count: number; readonly head: string } | { readonly ok: false; readonly line: number; readonly sequence: number | undefined; readonly why: string };

/** docs/compliance.md "Verifying an export", written from the document alone. */
function verifyJsonLines(text: string): Verdict {
  const lines = text.split('\n').filter((l) => l !== '');
  let previous: { sequence: number; hash: string } | undefined;
  for (const [i, line] of lines.entries()) {
    const event = JSON.parse(line) as Record<string, unknown> & { sequence: number; prevHash: string; hash: string };
    const { hash, ...withoutHash } = event;
    const recomputed = createHash('sha256').update(Buffer.concat([Buffer.from(event.prevHash, 'utf8'), Buffer.from(canonicalize(withoutHash), 'utf8')])).digest('hex');
    if (recomputed !== hash) return { ok: false, line: i + 1, sequence: event.sequence, why: 'hash' };
    const expected = previous ?? { sequence: 0, hash: GENESIS };
    if (event.sequence !== expected.sequence + 1) return { ok: false, line: i + 1, sequence: event.sequence, why: 'sequence' };
    if (event.prevHash !== expected.hash) return { ok: false, line: i + 1, sequence: event.sequence, why: 'prevHash' };
    previous = { sequence: event.sequence, hash };
  }
  return { ok: true, count: lines.length, head: previous?.hash ?? GENESIS };
}

/** RFC 4180 fields of one CSV record (quoted fields may hold commas and doubled quotes). */
function csvFields(record: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= record.length) {
    if (record[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = record.indexOf('"', i);
        if (record[quote + 1] === '"') {
          value += `${record.slice(i, quote)}"`;
          i = quote + 2;
        } else {
          value += record.slice(i, quote);
          i = quote + 2;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = record.indexOf(',', i);
      const end = comma < 0 ? record.length : comma;
      fields.push(record.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

describe('audit evidence: export round trip and tamper detection', () => {
  let side: QuerySide;
  let last = 0;

  beforeAll(async () => {
    side = await startQuerySide();
    const { api } = side;
    await mutate(api, 'POST', '/api/environments', { key: 'production', name: 'Production', production: true });
    await mutate(api, 'POST', '/api/flags', { key: 'search', name: 'Search "v2", with commas', reason: 'quotes, commas\nand a line break' });
    for (const on of [true, false, true]) await mutate(api, 'POST', '/api/flags/search/environments/production/toggle', { on, reason: `on=${on}` });
    await mutate(api, 'PATCH', '/api/flags/search', { tags: ['search', 'q3'], description: 'ünïcødé 日本, emoji 🚀 and "quotes"' });
    last = Number((await mutate(api, 'POST', '/api/environments/production/segments', { key: 'beta', name: 'Beta', included: ['a', 'b'] })).token);
    await side.settle(last);
  });

  afterAll(async () => {
    await side?.stop();
  });

  it('exported JSON Lines verify on their own with the documented algorithm, up to the head verify reports', async () => {
    const exported = await fetchText(`${side.cp.url}/api/audit/export?format=jsonl`, side.cp.adminToken);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('x-audit-up-to-sequence')).toBe(String(last));
    const verdict = verifyJsonLines(exported.text);
    expect(verdict).toMatchObject({ ok: true, count: last });
    const verify = await side.api<{ head: { hash: string } }>('GET', '/api/audit/verify');
    expect(verdict.ok && verdict.head).toBe(verify.body.head.hash);
  });

  it('a tampered, dropped or swapped line in the export is detected at its sequence', async () => {
    const lines = (await fetchText(`${side.cp.url}/api/audit/export?format=jsonl`, side.cp.adminToken)).text.trimEnd().split('\n');
    const edited = [...lines];
    edited[3] = edited[3]!.replace('"on=true"', '"on=false"');
    expect(edited[3]).not.toBe(lines[3]);
    expect(verifyJsonLines(edited.join('\n'))).toMatchObject({ ok: false, sequence: 4, why: 'hash' });

    const dropped = lines.filter((_, i) => i !== 2);
    expect(verifyJsonLines(dropped.join('\n'))).toMatchObject({ ok: false, sequence: 4, why: 'sequence' });

    const swapped = [...lines];
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    expect(verifyJsonLines(swapped.join('\n'))).toMatchObject({ ok: false, line: 5, why: 'sequence' });
  });

  it('the CSV export carries the same events, quoted per RFC 4180, and they verify too', async () => {
    const exported = await fetchText(`${side.cp.url}/api/audit/export?format=csv`, side.cp.adminToken);
    const records = exported.text.split('\r\n').filter((r) => r !== '');
    // Reasons may hold line breaks inside quotes: split on CRLF only at record ends by re-joining open quotes.
    const joined: string[] = [];
    for (const r of records) {
      const open = joined.length > 0 && (joined[joined.length - 1]!.split('"').length - 1) % 2 === 1;
      if (open) joined[joined.length - 1] += `\r\n${r}`;
      else joined.push(r);
    }
    const [header, ...rows] = joined.map(csvFields);
    expect(header![header!.length - 1]).toBe('event');
    expect(rows).toHaveLength(last);
    const created = rows.find((r) => r[2] === 'FlagCreated')!;
    expect(created[8]).toBe('quotes, commas\nand a line break');
    expect(verifyJsonLines(rows.map((r) => r[r.length - 1]).join('\n'))).toMatchObject({ ok: true, count: last });
  });

  it('an export can be narrowed to a time window and an aggregate', async () => {
    const rows = await side.api<{ items: { sequence: number; time: string }[] }>('GET', '/api/audit?aggregate=flag:search');
    const from = rows.body.items[1]!.time;
    const to = rows.body.items[3]!.time;
    const exported = await fetchText(`${side.cp.url}/api/audit/export?format=jsonl&aggregate=flag:search&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, side.cp.adminToken);
    const sequences = exported.text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { sequence: number }).sequence);
    expect(sequences).toEqual([rows.body.items[1]!.sequence, rows.body.items[2]!.sequence]);
  });

  it('verify names an audit row edited in Postgres, and a deleted one, by sequence', async () => {
    expect((await side.api('GET', '/api/audit/verify')).body).toMatchObject({ ok: true, checked: last, firstProblem: null });
    const [original] = await sql<{ payload: string }>(side.db.url, 'SELECT payload::text AS payload FROM read_model.audit_trail WHERE sequence = 4');
    await tamper(side.db.url, `UPDATE read_model.audit_trail SET payload = jsonb_set(payload::jsonb, '{reason}', '"nothing to see"')::json WHERE sequence = 4`);
    const edited = await side.api<{ ok: boolean; checked: number; firstProblem: { kind: string; sequence: number } }>('GET', '/api/audit/verify');
    expect(edited.body).toMatchObject({ ok: false, checked: 3, firstProblem: { kind: 'edited', sequence: 4 } });

    // The log of record is untouched: verifying from Kafka still passes.
    expect((await side.api('GET', '/api/audit/verify?source=kafka')).body).toMatchObject({ source: 'kafka', ok: true, checked: last });

    await tamper(side.db.url, `UPDATE read_model.audit_trail SET payload = '${original!.payload.replace(/'/g, "''")}'::jsonb WHERE sequence = 4`);
    expect((await side.api('GET', '/api/audit/verify')).body).toMatchObject({ ok: true });
    await tamper(side.db.url, 'DELETE FROM read_model.audit_trail WHERE sequence = 5');
    expect((await side.api('GET', '/api/audit/verify')).body).toMatchObject({ ok: false, firstProblem: { kind: 'missing', sequence: 5 } });
  });
});
