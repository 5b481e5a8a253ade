/**
 * A map that reads through to a base map and keeps its own writes apart until `commit`.
 * The writer decides a batch of commands against such a layer; if Kafka refuses the batch,
 * the layer is dropped and the committed state was never touched.
 */
export class LayeredMap<K, V> {
  private readonly own = new Map<K, V>();

  constructor(private readonly base: Map<K, V>) {}

  get(key: K): V | undefined {
    return this.own.has(key) ? this.own.get(key) : this.base.get(key);
  }

  set(key: K, value: V): void {
    this.own.set(key, value);
  }

  *values(): IterableIterator<V> {
    for (const [key, value] of this.base) if (!this.own.has(key)) yield value;
    yield* this.own.values();
  }

  /** Writes this layer's changes into the base map. */
  commit(): void {
    for (const [key, value] of this.own) this.base.set(key, value);
    this.own.clear();
  }
}
