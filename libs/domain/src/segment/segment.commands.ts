import type { Command } from '../shared/decider.types';

interface SegmentPayload {
  readonly environment: string;
  readonly key: string;
  readonly name: string;
  readonly description?: string;
  /** `included`, `excluded`, `attribute`, `condition` as in the evaluation model. */
  readonly rules: unknown;
}

export type CreateSegment = Command<'CreateSegment', SegmentPayload>;
export type UpdateSegment = Command<'UpdateSegment', SegmentPayload>;
export type DeleteSegment = Command<'DeleteSegment', { readonly environment: string; readonly key: string }>;

export type SegmentCommand = CreateSegment | UpdateSegment | DeleteSegment;
