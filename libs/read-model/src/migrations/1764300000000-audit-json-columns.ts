import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail's `payload` and `diff` as `json` (the text as written, checked for syntax)
 * instead of `jsonb` (parsed into a binary tree on the way in). Every event is written once and
 * read back whole: nothing indexes into these columns, and the one operator used on them,
 * `payload->'data'->>'environment'` (scope and environment as-of filters), exists for `json`
 * too. Parsing into jsonb was about half of Postgres's CPU in a rebuild (the same 100,000 audit
 * rows COPY in 3.8–4.0 s into jsonb, 2.5 s into json). Readers keep seeing the key order jsonb
 * gave them (see `jsonbKeyOrder`), so the API, the export and the checksum are unchanged. See
 * docs/compliance.md, "Storage of events".
 *
 * On a populated table this rewrites it (once); the append-only triggers do not fire for it.
 */
export class AuditJsonColumns1764300000000 implements MigrationInterface {
  name = 'AuditJsonColumns1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE audit_trail ALTER COLUMN payload TYPE json USING payload::json, ALTER COLUMN diff TYPE json USING diff::json');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE audit_trail ALTER COLUMN payload TYPE jsonb USING payload::jsonb, ALTER COLUMN diff TYPE jsonb USING diff::jsonb');
  }
}
