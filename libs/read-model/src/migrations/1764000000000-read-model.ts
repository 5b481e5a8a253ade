import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH } from '@flagpole/domain';

/**
 * The read models, the audit trail and the projection's position. jsonb columns use lz4 for the
 * values large enough to be TOASTed (big configurations and events): several times cheaper
 * to compress than the default pglz, which matters when a rebuild rewrites them all. Needs
 * PostgreSQL 14+ built with lz4 (the Debian and official Docker images are). Names are unqualified: the
 * data source points `search_path` at the schema being built (`read_model` live, a
 * `rebuild_<ts>` schema during a rebuild), so the same migration builds either.
 */
export class ReadModel1764000000000 implements MigrationInterface {
  name = 'ReadModel1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE environments (
        key           text PRIMARY KEY,
        name          text NOT NULL,
        description   text NOT NULL,
        production    boolean NOT NULL,
        version       integer NOT NULL,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        last_sequence bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE flags (
        key           text PRIMARY KEY,
        name          text NOT NULL,
        description   text NOT NULL,
        kind          text NOT NULL,
        owner         text NOT NULL,
        tags          text[] NOT NULL,
        expires_at    timestamptz,
        type          text NOT NULL,
        variants      jsonb COMPRESSION lz4 NOT NULL,
        on_variant    text NOT NULL,
        off_variant   text NOT NULL,
        status        text NOT NULL,
        version       integer NOT NULL,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        last_sequence bigint NOT NULL
      )`);
    // The list filters of GET /api/flags: tag (array containment), owner, kind, archived.
    await queryRunner.query('CREATE INDEX flags_tags_idx ON flags USING gin (tags)');
    await queryRunner.query('CREATE INDEX flags_owner_idx ON flags (owner)');
    await queryRunner.query(`
      CREATE TABLE flag_environments (
        flag_key        text NOT NULL,
        environment_key text NOT NULL,
        "on"            boolean NOT NULL,
        config          jsonb COMPRESSION lz4 NOT NULL,
        version         integer NOT NULL,
        updated_at      timestamptz NOT NULL,
        last_sequence   bigint NOT NULL,
        PRIMARY KEY (flag_key, environment_key)
      )`);
    await queryRunner.query('CREATE INDEX flag_environments_environment_idx ON flag_environments (environment_key)');
    await queryRunner.query(`
      CREATE TABLE segments (
        environment_key text NOT NULL,
        key             text NOT NULL,
        status          text NOT NULL,
        name            text,
        description     text,
        rules           jsonb COMPRESSION lz4,
        version         integer NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        last_sequence   bigint NOT NULL,
        PRIMARY KEY (environment_key, key)
      )`);
    await queryRunner.query(`
      CREATE TABLE tokens (
        id            text PRIMARY KEY,
        name          text NOT NULL,
        role          text NOT NULL,
        environments  jsonb COMPRESSION lz4 NOT NULL,
        secret_hash   text NOT NULL,
        expires_at    timestamptz,
        status        text NOT NULL,
        version       integer NOT NULL,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        last_sequence bigint NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX tokens_secret_hash_idx ON tokens (secret_hash)');
    await queryRunner.query(`
      CREATE TABLE audit_trail (
        sequence          bigint PRIMARY KEY,
        event_id          text NOT NULL,
        event_type        text NOT NULL,
        aggregate_type    text NOT NULL,
        aggregate_id      text NOT NULL,
        version           integer NOT NULL,
        time              timestamptz NOT NULL,
        actor_id          text NOT NULL,
        actor_name        text NOT NULL,
        reason            text,
        correlation_id    text NOT NULL,
        change_request_id text,
        diff              jsonb COMPRESSION lz4 NOT NULL,
        prev_hash         text NOT NULL,
        hash              text NOT NULL,
        kafka_partition   integer NOT NULL,
        kafka_offset      bigint NOT NULL,
        payload           jsonb COMPRESSION lz4 NOT NULL,
        projected_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX audit_trail_event_id_idx ON audit_trail (event_id)');
    // One row per aggregate version: the database itself refuses a second application of an event.
    await queryRunner.query('CREATE UNIQUE INDEX audit_trail_aggregate_version_idx ON audit_trail (aggregate_id, version)');
    await queryRunner.query('CREATE INDEX audit_trail_time_idx ON audit_trail (time)');
    // Append-only: the application can only insert. Someone with the rights to lift this can
    // still edit rows, which is what verify is for.
    await queryRunner.query(`
      CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail
      FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
      FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only()`);
    await queryRunner.query(`
      CREATE TABLE projection_position (
        aggregate_id   text PRIMARY KEY,
        aggregate_type text NOT NULL,
        version        integer NOT NULL,
        last_sequence  bigint NOT NULL,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE projection_head (
        id                smallint PRIMARY KEY,
        topic             text,
        last_sequence     bigint NOT NULL,
        last_hash         text NOT NULL,
        partition_offsets jsonb COMPRESSION lz4 NOT NULL,
        updated_at        timestamptz NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO projection_head (id, topic, last_sequence, last_hash, partition_offsets, updated_at) VALUES (1, NULL, 0, $1, '{}', now())`, [GENESIS_HASH]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['projection_head', 'projection_position', 'audit_trail', 'tokens', 'segments', 'flag_environments', 'flags', 'environments']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query('DROP FUNCTION audit_trail_append_only()');
  }
}
