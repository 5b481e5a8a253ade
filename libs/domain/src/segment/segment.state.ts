import type { SegmentDescription, SegmentRules } from './segment.events';

export type SegmentState =
  | { readonly status: 'absent' | 'deleted'; readonly version: number }
  | (SegmentDescription & {
      readonly status: 'active';
      readonly version: number;
      readonly environment: string;
      readonly key: string;
      readonly rules: SegmentRules;
    });

export const initialSegmentState: SegmentState = { status: 'absent', version: 0 };
