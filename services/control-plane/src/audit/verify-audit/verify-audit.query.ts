import { Query } from '@nestjs/cqrs';
import type { ChainHead, ChainProblem } from '@flagpole/read-model';

/** The verdict of a verification, as the API reports it. */
export interface VerifyAuditResult {
  readonly source: 'postgres' | 'kafka';
  readonly ok: boolean;
  /** Events checked before the first problem (all when ok). */
  readonly checked: number;
  /** The last intact link of the chain. */
  readonly head: ChainHead;
  /** The first edited, missing, reordered or conflicting event, by sequence; null when ok. */
  readonly firstProblem: ChainProblem | null;
  /** Kafka only: identical redeliveries tolerated, records that were not events. */
  readonly duplicates?: number;
  readonly undecodable?: number;
}

export class VerifyAuditQuery extends Query<VerifyAuditResult> {
  constructor(readonly source: 'postgres' | 'kafka') {
    super();
  }
}
