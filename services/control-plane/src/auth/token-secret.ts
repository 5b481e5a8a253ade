import { hash, randomBytes } from 'node:crypto';

/** Only this digest is ever stored or logged; the secret is shown once, at issue time. */
export function hashTokenSecret(secret: string): string {
  // The one-shot digest: ~4x cheaper than createHash().update().digest(), and it runs per request.
  return hash('sha256', secret, 'hex');
}

export function newTokenSecret(): string {
  return `fp_${randomBytes(32).toString('base64url')}`;
}
