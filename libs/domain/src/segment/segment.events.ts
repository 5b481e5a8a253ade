import type { SegmentDefinition } from '@flagpole/evaluation';
import type { Event } from '../shared/decider.types';

/** What the segment matches; `key` lives in the aggregate, not repeated per change. */
export type SegmentRules = Omit<SegmentDefinition, 'key'>;

export interface SegmentDescription {
  readonly name: string;
  readonly description: string;
}

export type SegmentCreated = Event<
  'SegmentCreated',
  SegmentDescription & { readonly environment: string; readonly key: string; readonly rules: SegmentRules }
>;
export type SegmentUpdated = Event<'SegmentUpdated', SegmentDescription & { readonly rules: SegmentRules }>;
export type SegmentDeleted = Event<'SegmentDeleted', Readonly<Record<string, never>>>;

export type SegmentEvent = SegmentCreated | SegmentUpdated | SegmentDeleted;
