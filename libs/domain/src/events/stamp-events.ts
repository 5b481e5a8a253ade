import type { CommandMetadata } from '../shared/command-metadata.types';
import type { Decision } from '../decide';
import type { EventEnvelope } from './event-envelope.types';
import { computeEventHash } from './hash-chain';

/**
 * Gives a decision's events their provenance, versions, sequence numbers and hash links,
 * continuing the chain from (`lastSequence`, `lastHash`).
 */
export function stampEvents(
  decision: Decision,
  meta: CommandMetadata,
  chainHead: { readonly lastSequence: number; readonly lastHash: string },
  newId: () => string,
): EventEnvelope[] {
  let sequence = chainHead.lastSequence;
  let prevHash = chainHead.lastHash;
  return decision.events.map((event, i) => {
    sequence += 1;
    const unhashed = {
      id: newId(),
      type: event.type,
      aggregateType: decision.aggregateType,
      aggregateId: decision.aggregateId,
      version: decision.baseVersion + i + 1,
      time: meta.now,
      actor: meta.actor,
      reason: meta.reason ?? null,
      correlationId: meta.correlationId,
      changeRequestId: meta.changeRequestId ?? null,
      sequence,
      prevHash,
      data: event.data,
    } as Omit<EventEnvelope, 'hash'>;
    const hash = computeEventHash(unhashed);
    prevHash = hash;
    return { ...unhashed, hash } as EventEnvelope;
  });
}
