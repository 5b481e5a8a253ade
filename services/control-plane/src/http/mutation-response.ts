import type { Response } from 'express';
import type { CommandResult } from '../writer/event-writer';

/** What every mutation answers: the new version (also the ETag) and a consistency token. */
export interface MutationResponse {
  readonly id: string;
  readonly version: number;
  /** The log sequence of the change; query routes accept it to read their own writes. */
  readonly consistencyToken: string;
  readonly events: readonly { readonly id: string; readonly type: string; readonly sequence: number }[];
}

export function mutationResponse(response: Response, result: CommandResult): MutationResponse {
  response.setHeader('ETag', `"${result.version}"`);
  response.setHeader('X-Consistency-Token', String(result.sequence));
  return {
    id: result.aggregateId,
    version: result.version,
    consistencyToken: String(result.sequence),
    events: result.events.map((e) => ({ id: e.id, type: e.type, sequence: e.sequence })),
  };
}
