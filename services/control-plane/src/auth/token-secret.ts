import { createHash, randomBytes } from 'node:crypto';

/** Only this digest is ever stored or logged; the secret is shown once, at issue time. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newTokenSecret(): string {
  return `fp_${randomBytes(32).toString('base64url')}`;
}
