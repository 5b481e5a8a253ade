// Runs every test vector in this folder through the engine (SPEC.md "Test vectors").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InMemoryFlagStore,
  evaluateFlag,
  validateFlagDefinition,
  validateSegment,
  type EvaluationContext,
  type FlagDefinition,
  type FlagType,
  type JsonValue,
  type SegmentDefinition,
} from '@flagpole/evaluation';
import { referenceBucket } from './reference-bucket';

interface BucketCheck {
  readonly salt: string;
  readonly value: string;
  readonly seed: number;
  readonly modulus: number;
  readonly bucket: number;
}

interface VectorCase {
  readonly name: string;
  readonly flag: string;
  readonly context: EvaluationContext;
  readonly default: JsonValue;
  readonly now?: number;
  readonly expectedType?: FlagType;
  readonly buckets?: readonly BucketCheck[];
  readonly expected: {
    readonly value: JsonValue;
    readonly variant?: string;
    readonly reason: string;
    readonly ruleId?: string;
    readonly errorCode?: string;
  };
}

interface VectorFile {
  readonly description: string;
  readonly environment: string;
  readonly flags: readonly FlagDefinition[];
  readonly segments: readonly SegmentDefinition[];
  readonly invalidFlags?: readonly string[];
  readonly cases: readonly VectorCase[];
}

const files = readdirSync(__dirname)
  .filter((name) => name.endsWith('.json'))
  .sort();

const vectors = files.map((name) => ({ name, doc: JSON.parse(readFileSync(join(__dirname, name), 'utf8')) as VectorFile }));

it('has at least 200 vectors', () => {
  expect(vectors.reduce((n, v) => n + v.doc.cases.length, 0)).toBeGreaterThanOrEqual(200);
});

describe.each(vectors)('$name', ({ doc }) => {
  const store = new InMemoryFlagStore(doc.environment);
  for (const segment of doc.segments) store.putSegment(segment);
  for (const flag of doc.flags) store.putFlag(flag);

  it('holds only valid definitions, except the flags listed as invalid', () => {
    const invalid = new Set(doc.invalidFlags ?? []);
    for (const segment of doc.segments) expect({ segment: segment.key, problems: validateSegment(segment) }).toEqual({ segment: segment.key, problems: [] });
    for (const flag of doc.flags) {
      const problems = validateFlagDefinition(flag);
      if (invalid.has(flag.key)) expect(problems).not.toEqual([]);
      else expect({ flag: flag.key, problems }).toEqual({ flag: flag.key, problems: [] });
    }
  });

  it.each(doc.cases)('$name', (vector) => {
    for (const check of vector.buckets ?? []) {
      expect(referenceBucket(check.salt, check.value, check.seed, check.modulus)).toBe(check.bucket);
    }
    const result = evaluateFlag(store, vector.flag, vector.context, vector.default, {
      now: vector.now,
      expectedType: vector.expectedType,
    });
    const { errorMessage: _ignored, ...comparable } = result;
    expect(comparable).toEqual(vector.expected);
  });
});
