import { assertNever } from '../shared/assert-never';
import type { EventEnvelope } from '../events/event-envelope.types';
import { GENESIS_HASH } from '../events/hash-chain';
import { evolveEnvironment } from '../environment/environment.decider';
import type { EnvironmentEvent } from '../environment/environment.events';
import { initialEnvironmentState, type EnvironmentState } from '../environment/environment.state';
import { evolveFlag } from '../flag/flag.decider';
import type { FlagEvent } from '../flag/flag.events';
import { initialFlagState, type FlagState } from '../flag/flag.state';
import { evolveSegment } from '../segment/segment.decider';
import type { SegmentEvent } from '../segment/segment.events';
import { initialSegmentState, type SegmentState } from '../segment/segment.state';
import { evolveToken } from '../token/token.decider';
import type { TokenEvent } from '../token/token.events';
import { initialTokenState, type TokenState } from '../token/token.state';
import { LayeredMap } from './layered-map';

/** Map and LayeredMap both fit: the root state holds maps, a fork holds layers over them. */
interface Store<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  values(): IterableIterator<V>;
}
interface Layers {
  readonly environment: Store<EnvironmentState>;
  readonly flag: Store<FlagState>;
  readonly segment: Store<SegmentState>;
  readonly token: Store<TokenState>;
}

export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * Every aggregate's current state, keyed by aggregate id, plus the head of the hash chain.
 * Built by folding events (`apply`); read by deciders through a DecisionContext.
 */
export class FlagpoleState {
  private constructor(
    private readonly layers: Layers,
    private head: { sequence: number; hash: string },
    private readonly fork_?: { readonly parent: FlagpoleState; readonly layers: readonly LayeredMap<string, unknown>[] },
  ) {}

  static empty(): FlagpoleState {
    const stores: Layers = { environment: new Map(), flag: new Map(), segment: new Map(), token: new Map() };
    return new FlagpoleState(stores, { sequence: 0, hash: GENESIS_HASH });
  }

  /** A scratch copy whose changes reach this state only through `commit`. */
  fork(): FlagpoleState {
    const l = this.layers;
    if (!(l.environment instanceof Map && l.flag instanceof Map && l.segment instanceof Map && l.token instanceof Map)) {
      throw new Error('only the root state can be forked');
    }
    const layers = {
      environment: new LayeredMap(l.environment),
      flag: new LayeredMap(l.flag),
      segment: new LayeredMap(l.segment),
      token: new LayeredMap(l.token),
    };
    return new FlagpoleState(layers, { ...this.head }, { parent: this, layers: Object.values(layers) });
  }

  /** Makes a fork's changes part of the state it was forked from. */
  commit(): void {
    if (!this.fork_) throw new Error('only a fork can be committed');
    for (const layer of this.fork_.layers) layer.commit();
    // The root may have folded the same events from the log meanwhile; never move its head back.
    if (this.head.sequence > this.fork_.parent.head.sequence) this.fork_.parent.head = { ...this.head };
  }

  get lastSequence(): number {
    return this.head.sequence;
  }

  get lastHash(): string {
    return this.head.hash;
  }

  environment(id: string): EnvironmentState {
    return this.layers.environment.get(id) ?? initialEnvironmentState;
  }
  flag(id: string): FlagState {
    return this.layers.flag.get(id) ?? initialFlagState;
  }
  segment(id: string): SegmentState {
    return this.layers.segment.get(id) ?? initialSegmentState;
  }
  token(id: string): TokenState {
    return this.layers.token.get(id) ?? initialTokenState;
  }

  environments(): IterableIterator<EnvironmentState> {
    return this.layers.environment.values();
  }
  flags(): IterableIterator<FlagState> {
    return this.layers.flag.values();
  }
  segments(): IterableIterator<SegmentState> {
    return this.layers.segment.values();
  }
  tokens(): IterableIterator<TokenState> {
    return this.layers.token.values();
  }

  versionOf(aggregateType: EventEnvelope['aggregateType'], aggregateId: string): number {
    return this[aggregateType](aggregateId).version;
  }

  /**
   * Folds one event in. An event at or below the aggregate's version was seen before (the
   * writer's own commit, then the same record from the log) and changes nothing; a gap
   * means the log and this state disagree, which must never be papered over.
   */
  apply(event: EventEnvelope): ApplyOutcome {
    const current = this.versionOf(event.aggregateType, event.aggregateId);
    if (event.version <= current) return 'duplicate';
    if (event.version !== current + 1) {
      throw new Error(`version gap for ${event.aggregateId}: state at ${current}, event at ${event.version}`);
    }
    this.evolve(event);
    if (event.sequence > this.head.sequence) this.head = { sequence: event.sequence, hash: event.hash };
    return 'applied';
  }

  private evolve(event: EventEnvelope): void {
    const id = event.aggregateId;
    switch (event.aggregateType) {
      case 'environment':
        this.layers.environment.set(id, evolveEnvironment(this.environment(id), event as EnvironmentEvent));
        return;
      case 'flag':
        this.layers.flag.set(id, evolveFlag(this.flag(id), event as FlagEvent));
        return;
      case 'segment':
        this.layers.segment.set(id, evolveSegment(this.segment(id), event as SegmentEvent));
        return;
      case 'token':
        this.layers.token.set(id, evolveToken(this.token(id), event as TokenEvent));
        return;
      default:
        assertNever(event.aggregateType, 'aggregate type');
    }
  }
}
