import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approval policies and change requests (issue 6). A change request keeps the columns the list
 * filters on (status, environments, flags, author, reviewers) next to the whole request as
 * the domain holds it, from which a restarted projector folds on.
 */
export class Approvals1764100000000 implements MigrationInterface {
  name = 'Approvals1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE approval_policies (
        environment_key text PRIMARY KEY,
        policy          jsonb NOT NULL,
        version         integer NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        last_sequence   bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE change_requests (
        id            text PRIMARY KEY,
        status        text NOT NULL,
        title         text NOT NULL,
        author_id     text NOT NULL,
        environments  text[] NOT NULL,
        flag_keys     text[] NOT NULL,
        reviewer_ids  text[] NOT NULL,
        opened_at     timestamptz NOT NULL,
        apply_at      timestamptz,
        expires_at    timestamptz NOT NULL,
        closed_at     timestamptz,
        request       jsonb COMPRESSION lz4 NOT NULL,
        version       integer NOT NULL,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        last_sequence bigint NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX change_requests_status_idx ON change_requests (status)');
    await queryRunner.query('CREATE INDEX change_requests_author_idx ON change_requests (author_id)');
    await queryRunner.query('CREATE INDEX change_requests_environments_idx ON change_requests USING gin (environments)');
    await queryRunner.query('CREATE INDEX change_requests_flag_keys_idx ON change_requests USING gin (flag_keys)');
    await queryRunner.query('CREATE INDEX change_requests_reviewer_ids_idx ON change_requests USING gin (reviewer_ids)');
    // The audit trail answers "which request stands behind this event" and the compliance query.
    await queryRunner.query('CREATE INDEX audit_trail_change_request_idx ON audit_trail (change_request_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX audit_trail_change_request_idx');
    await queryRunner.query('DROP TABLE change_requests');
    await queryRunner.query('DROP TABLE approval_policies');
  }
}
