import { createHash } from 'node:crypto';
import { generateHistory } from '../../test/support/history';
import type { AuditEntry, EnvironmentView } from '../model/read-model.types';
import { auditEntryOf } from '../projection/project-event';
import { ChecksumBuilder, checksumKeys, checksumRow, CHECKSUM_TABLES, type ChecksumTable } from './checksum';

const env = (key: string, name = key): EnvironmentView => ({
  key,
  name,
  description: '',
  production: false,
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  lastSequence: 1,
});

function checksum(environments: EnvironmentView[], audit: AuditEntry[] = []) {
  const builder = new ChecksumBuilder();
  for (const table of CHECKSUM_TABLES) {
    if (table === 'environments') builder.addTable(table, environments, checksumKeys.environments);
    else if (table === 'audit_trail') {
      builder.beginTable(table);
      for (const row of audit) builder.addRow(row.sequence, checksumRow.audit(row));
      builder.endTable();
    } else builder.addTable(table as ChecksumTable, [], () => '');
  }
  return builder.digest();
}

describe('ChecksumBuilder', () => {
  const audit = generateHistory(50, { seed: 1 }).map((e, i) => auditEntryOf(e, [], { partition: i % 3, offset: String(i) }));

  it('is deterministic and independent of the order rows are handed in', () => {
    const a = checksum([env('a'), env('b'), env('c')], audit);
    const b = checksum([env('c'), env('a'), env('b')], audit);
    expect(a).toEqual(b);
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(a.tables.environments.rows).toBe(3);
    expect(a.tables.audit_trail.rows).toBe(50);
  });

  it('changes with any content', () => {
    expect(checksum([env('a'), env('b', 'B')]).checksum).not.toBe(checksum([env('a'), env('b')]).checksum);
    const edited = audit.map((r, i) => (i === 10 ? { ...r, actorName: 'x' } : r));
    expect(checksum([], edited).tables.audit_trail.sha256).not.toBe(checksum([], audit).tables.audit_trail.sha256);
  });

  it('leaves out where the log kept an event: the same history at other offsets has the same checksum', () => {
    const moved = audit.map((r) => ({ ...r, partition: 7, offset: String(Number(r.offset) + 1000) }));
    expect(checksum([], moved)).toEqual(checksum([], audit));
  });

  it('is SHA-256 over canonical rows per table, then over the tables', () => {
    const table = createHash('sha256').update('{"createdAt":"2025-01-01T00:00:00.000Z","description":"","key":"a","lastSequence":1,"name":"a","production":false,"updatedAt":"2025-01-01T00:00:00.000Z","version":1}\n').digest('hex');
    expect(checksum([env('a')]).tables.environments).toEqual({ rows: 1, sha256: table });
  });

  it('refuses rows out of key order and tables left out', () => {
    const builder = new ChecksumBuilder().beginTable('audit_trail').addRow(2, {});
    expect(() => builder.addRow(2, {})).toThrow('ascending key order');
    expect(() => new ChecksumBuilder().digest()).toThrow('missing');
  });
});
