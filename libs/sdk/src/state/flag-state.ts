import type { FlagStateRecord, SegmentStateRecord } from '@flagpole/domain';
import { InMemoryFlagStore } from '@flagpole/evaluation';
import type { FlagpoleLogger } from '../logger';
import type { FlagChangeEvent, SegmentChangeEvent } from '../types';
import { flagDependencies, segmentUsesCurrentTime, type FlagDependencies } from './dependencies';

/** A value of the compacted topic: a flag as one environment evaluates it, or a segment. */
export type StateRecord = FlagStateRecord | SegmentStateRecord;

/** One record to apply: the latest word on a flag or segment, `null` for a tombstone. */
export interface StateUpdate {
  readonly kind: 'flag' | 'segment';
  readonly key: string;
  readonly record: StateRecord | null;
}

/** The changes one `apply`/`replaceAll` made, flags fanned out through segments and prerequisites. */
export interface ChangeSet {
  readonly flags: readonly FlagChangeEvent[];
  readonly segments: readonly SegmentChangeEvent[];
  readonly flagKeys: readonly string[];
}

type Touched = Map<string, { readonly before: number | undefined }>;

/**
 * One environment's flags and segments as the SDK holds them: the engine's store (what is
 * evaluated) and, per key, the record it was compiled from (its version, for the "never go
 * backwards" rule, and its definition, for snapshots). Also indexes which flags use which segments
 * and prerequisites, so a change can name every flag whose evaluation it may affect.
 *
 * Every method is synchronous: a batch of changes is applied without yielding, so an evaluation
 * never sees half of it.
 */
export class FlagState {
  readonly store: InMemoryFlagStore;
  private readonly flags = new Map<string, FlagStateRecord>();
  private readonly segments = new Map<string, SegmentStateRecord>();
  private readonly dependencies = new Map<string, FlagDependencies>();
  private readonly segmentUsers = new Map<string, Set<string>>();
  private readonly prerequisiteUsers = new Map<string, Set<string>>();
  /** `flag/<key>` and `segment/<key>` of definitions with a `currentTime` clause. */
  private readonly clockUsers = new Set<string>();
  private newestSequence = -Infinity;
  /** The control plane's `updatedAt` of the record with the highest sequence applied. */
  newestUpdatedAt: string | undefined;
  /** Records ignored because a newer version of their key was already held. */
  olderIgnored = 0;

  constructor(
    readonly environment: string,
    private readonly logger: FlagpoleLogger,
  ) {
    this.store = new InMemoryFlagStore(environment);
  }

  /**
   * True while some definition held has a `before`/`after` clause on `currentTime`. A plain field
   * (kept in step with the definitions) because every evaluation reads it.
   */
  needsClock = false;
  /** Called whenever `needsClock` changes. */
  onNeedsClockChange: (() => void) | undefined;

  get flagCount(): number {
    return this.flags.size;
  }

  get segmentCount(): number {
    return this.segments.size;
  }

  flagVersion(key: string): number | undefined {
    return this.flags.get(key)?.version;
  }

  flagKeys(): string[] {
    return [...this.flags.keys()];
  }

  /** Every record held, segments first: what a snapshot stores. */
  records(): StateRecord[] {
    return [...this.segments.values(), ...this.flags.values()];
  }

  /**
   * Applies updates in order (the live tail). Per key, a record whose version is not newer than
   * the one held is ignored — the state never goes backwards, whatever order a re-read or a
   * restart delivers records in. A tombstone removes the key.
   */
  apply(updates: Iterable<StateUpdate>): ChangeSet {
    const flags: Touched = new Map();
    const segments: Touched = new Map();
    for (const update of updates) {
      if (update.kind === 'flag') this.applyFlag(update.key, update.record, flags, false);
      else this.applySegment(update.key, update.record, segments, false);
    }
    return this.changes(flags, segments);
  }

  /**
   * Makes the state equal to `latest`, the last word per key of a complete read of the topic:
   * keys held but absent there (their tombstone compacted away while we were not reading) are
   * removed; a key held with a newer version than the topic's keeps it (never backwards).
   * Unchanged keys are not recompiled.
   */
  replaceAll(latest: ReadonlyMap<string, StateUpdate>): ChangeSet {
    const flags: Touched = new Map();
    const segments: Touched = new Map();
    for (const key of [...this.flags.keys()]) {
      if (latest.get(`flag/${key}`)?.record == null) this.applyFlag(key, null, flags, true);
    }
    for (const key of [...this.segments.keys()]) {
      if (latest.get(`segment/${key}`)?.record == null) this.applySegment(key, null, segments, true);
    }
    for (const update of latest.values()) {
      if (update.record === null) continue;
      if (update.kind === 'flag') this.applyFlag(update.key, update.record, flags, true);
      else this.applySegment(update.key, update.record, segments, true);
    }
    return this.changes(flags, segments);
  }

  private applyFlag(key: string, record: StateRecord | null, touched: Touched, authoritative: boolean): void {
    const held = this.flags.get(key);
    if (record === null) {
      if (held === undefined) return;
      this.touch(touched, key, held.version);
      this.flags.delete(key);
      this.store.removeFlag(key);
      this.unindexFlag(key);
      return;
    }
    if (!isFlagRecord(record, key)) {
      this.logger.warn({ key: `flag/${key}` }, 'flagpole: ignoring a malformed flag record');
      return;
    }
    if (held !== undefined && record.version <= held.version) {
      if (record.version < held.version) this.older(`flag/${key}`, record.version, held.version, authoritative);
      return;
    }
    this.touch(touched, key, held?.version);
    this.flags.set(key, record);
    const problems = this.store.putFlag(record.flag);
    if (problems.length > 0) {
      this.logger.warn(
        { key: `flag/${key}`, version: record.version, problems: problems.slice(0, 5) },
        'flagpole: invalid flag definition; it evaluates to ERROR / PARSE_ERROR (callers get their defaults)',
      );
    }
    this.unindexFlag(key);
    this.indexFlag(key, record.flag);
    this.noteSequence(record);
  }

  private applySegment(key: string, record: StateRecord | null, touched: Touched, authoritative: boolean): void {
    const held = this.segments.get(key);
    if (record === null) {
      if (held === undefined) return;
      this.touch(touched, key, held.version);
      this.segments.delete(key);
      this.store.removeSegment(key);
      this.clockUsers.delete(`segment/${key}`);
      this.updateNeedsClock();
      return;
    }
    if (!isSegmentRecord(record, key)) {
      this.logger.warn({ key: `segment/${key}` }, 'flagpole: ignoring a malformed segment record');
      return;
    }
    if (held !== undefined && record.version <= held.version) {
      if (record.version < held.version) this.older(`segment/${key}`, record.version, held.version, authoritative);
      return;
    }
    this.touch(touched, key, held?.version);
    this.segments.set(key, record);
    const problems = this.store.putSegment(record.segment);
    if (problems.length > 0) {
      this.logger.warn(
        { key: `segment/${key}`, version: record.version, problems: problems.slice(0, 5) },
        'flagpole: invalid segment definition; it has no members',
      );
    }
    if (segmentUsesCurrentTime(record.segment)) this.clockUsers.add(`segment/${key}`);
    else this.clockUsers.delete(`segment/${key}`);
    this.updateNeedsClock();
    this.noteSequence(record);
  }

  private updateNeedsClock(): void {
    const needsClock = this.clockUsers.size > 0;
    if (needsClock === this.needsClock) return;
    this.needsClock = needsClock;
    this.onNeedsClockChange?.();
  }

  private older(key: string, version: number, held: number, authoritative: boolean): void {
    this.olderIgnored += 1;
    // Replays after a rebalance are expected and silent; the topic itself being older than what we
    // hold (a snapshot newer than the topic: a restored or recreated topic) deserves a warning.
    if (authoritative) this.logger.warn({ key, version, held }, 'flagpole: the topic has an older version than the one held; keeping the newer');
  }

  private touch(touched: Touched, key: string, before: number | undefined): void {
    if (!touched.has(key)) touched.set(key, { before });
  }

  private noteSequence(record: StateRecord): void {
    if (typeof record.sequence === 'number' && record.sequence > this.newestSequence) {
      this.newestSequence = record.sequence;
      this.newestUpdatedAt = record.updatedAt;
    }
  }

  private indexFlag(key: string, definition: FlagStateRecord['flag']): void {
    const deps = flagDependencies(definition, this.environment);
    if (deps.usesCurrentTime) this.clockUsers.add(`flag/${key}`);
    this.updateNeedsClock();
    if (deps.segments.length === 0 && deps.prerequisites.length === 0 && !deps.usesCurrentTime) return;
    this.dependencies.set(key, deps);
    for (const segment of deps.segments) addTo(this.segmentUsers, segment, key);
    for (const prerequisite of deps.prerequisites) addTo(this.prerequisiteUsers, prerequisite, key);
  }

  private unindexFlag(key: string): void {
    this.clockUsers.delete(`flag/${key}`);
    this.updateNeedsClock();
    const deps = this.dependencies.get(key);
    if (deps === undefined) return;
    this.dependencies.delete(key);
    for (const segment of deps.segments) removeFrom(this.segmentUsers, segment, key);
    for (const prerequisite of deps.prerequisites) removeFrom(this.prerequisiteUsers, prerequisite, key);
  }

  private changes(flags: Touched, segments: Touched): ChangeSet {
    const flagEvents = new Map<string, FlagChangeEvent>();
    for (const [key, { before }] of flags) {
      const event = changeOf(key, before, this.flags.get(key)?.version);
      if (event) flagEvents.set(key, { ...event, cause: 'flag' });
    }
    const segmentEvents: SegmentChangeEvent[] = [];
    for (const [key, { before }] of segments) {
      const event = changeOf(key, before, this.segments.get(key)?.version);
      if (!event) continue;
      segmentEvents.push(event);
      for (const user of this.segmentUsers.get(key) ?? []) this.indirect(flagEvents, user, 'segment');
    }
    // Flags requiring a changed flag may evaluate differently too, transitively.
    const queue = [...flagEvents.keys()];
    for (let i = 0; i < queue.length; i++) {
      for (const user of this.prerequisiteUsers.get(queue[i]) ?? []) {
        if (this.indirect(flagEvents, user, 'prerequisite')) queue.push(user);
      }
    }
    return { flags: [...flagEvents.values()], segments: segmentEvents, flagKeys: [...flagEvents.keys()] };
  }

  private indirect(events: Map<string, FlagChangeEvent>, key: string, cause: 'segment' | 'prerequisite'): boolean {
    if (events.has(key)) return false;
    const version = this.flags.get(key)?.version;
    if (version === undefined) return false;
    events.set(key, { key, type: 'updated', cause, version, previousVersion: version });
    return true;
  }
}

function changeOf(key: string, before: number | undefined, after: number | undefined): SegmentChangeEvent | undefined {
  if (before === after) return undefined;
  if (before === undefined) return { key, type: 'added', version: after };
  if (after === undefined) return { key, type: 'removed', previousVersion: before };
  return { key, type: 'updated', version: after, previousVersion: before };
}

function isFlagRecord(record: StateRecord, key: string): record is FlagStateRecord {
  return (
    record.kind === 'flag' &&
    typeof record.version === 'number' &&
    typeof record.flag === 'object' &&
    record.flag !== null &&
    record.flag.key === key
  );
}

function isSegmentRecord(record: StateRecord, key: string): record is SegmentStateRecord {
  return (
    record.kind === 'segment' &&
    typeof record.version === 'number' &&
    typeof record.segment === 'object' &&
    record.segment !== null &&
    record.segment.key === key
  );
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (set === undefined) index.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}
