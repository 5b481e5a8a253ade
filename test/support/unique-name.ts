import { randomBytes } from 'node:crypto';

/** Names no other test run uses, so suites can share one broker and one Postgres server. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
