/** What a layer reads through to: the root state's Map, or another layer (a fork of a fork). */
export interface LayerBase<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  has(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
}

/**
 * A map that reads through to a base map and keeps its own writes apart until `commit`.
 * The writer decides a batch of commands against such a layer; if Kafka refuses the batch,
 * the layer is dropped and the committed state was never touched. Layers stack: a command that
 * spans several aggregates (applying a change request) is tried on a layer over the batch's
 * layer, so a refusal half-way leaves the batch untouched too.
 */
export class LayeredMap<K, V> implements LayerBase<K, V> {
  private readonly own = new Map<K, V>();

  constructor(private readonly base: LayerBase<K, V>) {}

  get(key: K): V | undefined {
    return this.own.has(key) ? this.own.get(key) : this.base.get(key);
  }

  set(key: K, value: V): void {
    this.own.set(key, value);
  }

  has(key: K): boolean {
    return this.own.has(key) || this.base.has(key);
  }

  *entries(): IterableIterator<[K, V]> {
    for (const [key, value] of this.base.entries()) if (!this.own.has(key)) yield [key, value];
    yield* this.own.entries();
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Writes this layer's changes into the base map. */
  commit(): void {
    for (const [key, value] of this.own) this.base.set(key, value);
    this.own.clear();
  }
}
