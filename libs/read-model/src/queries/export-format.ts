import type { AuditEntry } from '../model/read-model.types';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/**
 * One JSON Lines record: the event exactly as the log holds it (the `payload` column), nothing
 * added, so each line verifies on its own — `hash` = SHA-256(prevHash ‖ RFC 8785 JSON of the line
 * without `hash`) — and consecutive lines chain through `prevHash` (docs/compliance.md).
 */
export function jsonLine(entry: AuditEntry): string {
  return `${JSON.stringify(entry.payload)}\n`;
}

export const CSV_COLUMNS = [
  'sequence',
  'time',
  'event_type',
  'aggregate_type',
  'aggregate_id',
  'version',
  'actor_id',
  'actor_name',
  'reason',
  'correlation_id',
  'change_request_id',
  'diff',
  'prev_hash',
  'hash',
  'event',
] as const;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/**
 * One CSV record (RFC 4180: CRLF, fields quoted when they hold a comma, quote or line break). The
 * `diff` and `event` columns are JSON; `event` is the full event, so a CSV export verifies too.
 * Values are written as they are — no spreadsheet-formula escaping, which would alter the evidence.
 */
export function csvRow(entry: AuditEntry): string {
  const values: readonly (string | number | null)[] = [
    entry.sequence,
    entry.time,
    entry.eventType,
    entry.aggregateType,
    entry.aggregateId,
    entry.version,
    entry.actorId,
    entry.actorName,
    entry.reason,
    entry.correlationId,
    entry.changeRequestId,
    JSON.stringify(entry.diff),
    entry.prevHash,
    entry.hash,
    JSON.stringify(entry.payload),
  ];
  return `${values.map(csvField).join(',')}\r\n`;
}

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
