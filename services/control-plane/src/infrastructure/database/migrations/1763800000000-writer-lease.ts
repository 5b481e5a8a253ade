import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Records which instance holds the writer lease, so followers can point clients at it. */
export class WriterLease1763800000000 implements MigrationInterface {
  name = 'WriterLease1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE writer_lease (
        lease_key   text PRIMARY KEY,
        instance_id text NOT NULL,
        url         text,
        acquired_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE writer_lease');
  }
}
