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
import { evolveApprovalPolicy } from '../approval-policy/approval-policy.decider';
import type { ApprovalPolicyEvent } from '../approval-policy/approval-policy.events';
import { initialApprovalPolicyState, type ApprovalPolicyState } from '../approval-policy/approval-policy.state';
import { evolveChangeRequest } from '../change-request/change-request.decider';
import type { ChangeRequestEvent } from '../change-request/change-request.events';
import { initialChangeRequestState, type ChangeRequestState } from '../change-request/change-request.state';
import { LayeredMap, type LayerBase } from './layered-map';

/** Map and LayeredMap both fit: the root state holds maps, a fork holds layers over them. */
interface Store<V> extends LayerBase<string, V> {
  values(): IterableIterator<V>;
}
interface Layers {
  readonly environment: Store<EnvironmentState>;
  readonly flag: Store<FlagState>;
  readonly segment: Store<SegmentState>;
  readonly token: Store<TokenState>;
  readonly approvalPolicy: Store<ApprovalPolicyState>;
  readonly changeRequest: Store<ChangeRequestState>;
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
    const stores: Layers = { environment: new Map(), flag: new Map(), segment: new Map(), token: new Map(), approvalPolicy: new Map(), changeRequest: new Map() };
    return new FlagpoleState(stores, { sequence: 0, hash: GENESIS_HASH });
  }

  /**
   * A scratch copy whose changes reach this state only through `commit`. Forks stack: the writer
   * decides a batch on a fork of the root, and a command spanning several aggregates is tried on
   * a fork of that fork.
   */
  fork(): FlagpoleState {
    const l = this.layers;
    const layers = {
      environment: new LayeredMap(l.environment),
      flag: new LayeredMap(l.flag),
      segment: new LayeredMap(l.segment),
      token: new LayeredMap(l.token),
      approvalPolicy: new LayeredMap(l.approvalPolicy),
      changeRequest: new LayeredMap(l.changeRequest),
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

  approvalPolicy(id: string): ApprovalPolicyState {
    return this.layers.approvalPolicy.get(id) ?? initialApprovalPolicyState;
  }

  changeRequest(id: string): ChangeRequestState {
    return this.layers.changeRequest.get(id) ?? initialChangeRequestState;
  }

  changeRequests(): IterableIterator<ChangeRequestState> {
    return this.layers.changeRequest.values();
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
    return this.stateOf(aggregateType, aggregateId).version;
  }

  /** Any aggregate's state by its type and id. */
  stateOf(aggregateType: EventEnvelope['aggregateType'], aggregateId: string): { readonly version: number } {
    switch (aggregateType) {
      case 'environment':
        return this.environment(aggregateId);
      case 'flag':
        return this.flag(aggregateId);
      case 'segment':
        return this.segment(aggregateId);
      case 'token':
        return this.token(aggregateId);
      case 'approvalPolicy':
        return this.approvalPolicy(aggregateId);
      case 'changeRequest':
        return this.changeRequest(aggregateId);
      default:
        return assertNever(aggregateType, 'aggregate type');
    }
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
      case 'approvalPolicy':
        this.layers.approvalPolicy.set(id, evolveApprovalPolicy(this.approvalPolicy(id), event as ApprovalPolicyEvent));
        return;
      case 'changeRequest':
        this.layers.changeRequest.set(id, evolveChangeRequest(this.changeRequest(id), event as ChangeRequestEvent));
        return;
      default:
        assertNever(event.aggregateType, 'aggregate type');
    }
  }
}
