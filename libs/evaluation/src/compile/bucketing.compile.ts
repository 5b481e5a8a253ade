import { bucketByList, bucketKey, DEFAULT_MODULUS, DEFAULT_SEED } from '../hashing/bucket';
import { murmurFinish, murmurPrefix, type MurmurState } from '../hashing/murmur3';
import type { EvaluationContext } from '../model/context.types';
import type { Bucketing } from '../model/flag.types';
import { compileAttributeReader, type AttributeReader } from './attribute.compile';
import { Interner } from './interner';

/**
 * A compiled Bucketing: readers, seed and modulus resolved, and the `${salt}:` prefix already
 * hashed, so an evaluation only hashes the bucketed value. The hash state after the prefix is held
 * in the object itself (it is a MurmurState): one object less per rollout.
 *
 * A class rather than a closure: V8 inlines a method of a class at a call site that sees one
 * class, but not one of thousands of closures made by the same function, and on a rollout the
 * call to the bucketer is the whole hot path.
 */
export class Bucketer implements MurmurState {
  readonly h: number;
  readonly tail: number;
  readonly tailLength: number;
  readonly length: number;
  private readonly readers: readonly AttributeReader[];
  /** The modulus as an unsigned 32-bit integer; 0 stands for 2^32 (the largest modulus allowed). */
  private readonly modulus32: number;

  constructor(bucketing: Bucketing, defaultSalt: string) {
    const prefix = murmurPrefix(`${bucketing.salt ?? defaultSalt}:`, bucketing.seed ?? DEFAULT_SEED);
    this.h = prefix.h;
    this.tail = prefix.tail;
    this.tailLength = prefix.tailLength;
    this.length = prefix.length;
    const paths = bucketByList(bucketing);
    this.readers = readerLists.intern(JSON.stringify(paths), () => paths.map(compileAttributeReader));
    this.modulus32 = (bucketing.modulus ?? DEFAULT_MODULUS) >>> 0;
    // A subclass (RolloutServe) freezes itself once its own fields are set.
    if (new.target === Bucketer) Object.freeze(this);
  }

  /** The bucket of a context, or undefined when none of the bucketBy attributes is usable. */
  bucketOf(context: EvaluationContext): number | undefined {
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) {
      const key = bucketKey(readers[i](context));
      if (key !== undefined) return remainder(murmurFinish(this, key), this.modulus32);
    }
    return undefined;
  }
}

// bucketBy lists repeat (almost always just targetingKey): one reader list for all.
const readerLists = new Interner<readonly AttributeReader[]>(1024);

/**
 * hash mod modulus, both read as unsigned 32-bit integers (a modulus of 0 stands for 2^32). Why
 * the `>>> 0` everywhere: they let V8 compile an integer division; a plain `%` of a hash ≥ 2^31
 * compiled to a floating-point remainder (x87 `fprem`), which cost more than the rest of the
 * rollout together.
 */
function remainder(hash: number, modulus32: number): number {
  return modulus32 === 0 ? hash >>> 0 : ((hash >>> 0) % (modulus32 >>> 0)) >>> 0;
}
