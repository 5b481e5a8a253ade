import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { EventEnvelope } from './event-envelope.types';

/** The chain's anchor: the `prevHash` of sequence 1. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * hash = SHA-256( prevHash ‖ RFC 8785 canonical JSON of the envelope without `hash` ), hex.
 * RFC 8785 makes the bytes reproducible in any language, so anyone holding an export can verify.
 */
export function computeEventHash(event: Omit<EventEnvelope, 'hash'> | EventEnvelope): string {
  const { hash: _ignored, ...rest } = event as EventEnvelope;
  return createHash('sha256').update(rest.prevHash).update(canonicalize(rest)).digest('hex');
}

export type ChainBreak =
  | { readonly kind: 'sequence_gap'; readonly expected: number; readonly found: number }
  | { readonly kind: 'prev_hash_mismatch'; readonly sequence: number; readonly expected: string; readonly found: string }
  | { readonly kind: 'hash_mismatch'; readonly sequence: number; readonly expected: string; readonly found: string };

/**
 * Checks that `event` extends a chain whose last link is (`lastSequence`, `lastHash`).
 * Returns the first thing wrong, or undefined when the link holds.
 */
export function checkChainLink(lastSequence: number, lastHash: string, event: EventEnvelope): ChainBreak | undefined {
  if (event.sequence !== lastSequence + 1) return { kind: 'sequence_gap', expected: lastSequence + 1, found: event.sequence };
  if (event.prevHash !== lastHash) return { kind: 'prev_hash_mismatch', sequence: event.sequence, expected: lastHash, found: event.prevHash };
  const recomputed = computeEventHash(event);
  if (recomputed !== event.hash) return { kind: 'hash_mismatch', sequence: event.sequence, expected: recomputed, found: event.hash };
  return undefined;
}
