import * as fs from 'fs';
import * as path from 'path';
import { InMemoryFlagStore } from '../store/in-memory-flag-store';
import { importUnleashFeatures } from './importer';
import { unleashGetVariant, unleashIsEnabled } from './result';

/**
 * Runs every case of the Unleash client specification (@unleash/client-specification) through
 * importUnleashFeatures + the Flagpole engine and compares Flagpole's answer with the expected one.
 *
 * Each case is run with several random draws (the context adapter's `random`): an expected result
 * must not depend on the draw, so the answer has to be the same for all of them. Random rollouts
 * proper are checked by distribution in unleash-random.unit.spec.ts.
 *
 * SKIPPED lists the cases not compared, each with its reason (also in README.md). It is empty:
 * every case of the suite passes as written.
 */
const SKIPPED: Readonly<Record<string, string>> = {
  // 'file.json › description': 'reason',
};

const SPEC_DIR = path.join(path.dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');
const ENVIRONMENT = 'production';
/** A fixed clock (dates in the suite are in 2022; `now` only matters without currentTime). */
const NOW = Date.parse('2024-06-01T12:00:00.000Z');
const DRAWS = [0, 0.25, 0.5, 0.999999];

interface SpecCase {
  readonly description: string;
  readonly context: Record<string, unknown>;
  readonly toggleName: string;
  readonly expectedResult: unknown;
}

interface Spec {
  readonly name: string;
  readonly state: unknown;
  readonly tests?: readonly SpecCase[];
  readonly variantTests?: readonly SpecCase[];
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(SPEC_DIR, file), 'utf8'));
}

const files = readJson('index.json') as string[];
const counts = { passed: 0, skipped: 0 };

describe('Unleash client specification', () => {
  it('lists every specification file in index.json', () => {
    const onDisk = fs.readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json');
    expect([...files].sort()).toEqual(onDisk.sort());
  });

  for (const file of files) {
    describe(file, () => {
      const spec = readJson(file) as Spec;
      const imported = importUnleashFeatures(spec.state, { environment: ENVIRONMENT });
      const store = new InMemoryFlagStore(ENVIRONMENT);
      const storeProblems = [
        ...imported.segments.flatMap((s) => store.putSegment(s).map((p) => `${s.key}: ${p.path} ${p.problem}`)),
        ...imported.flags.flatMap((f) => store.putFlag(f).map((p) => `${f.key}: ${p.path} ${p.problem}`)),
      ];

      it('imports into definitions the engine accepts', () => {
        expect(storeProblems).toEqual([]);
        expect(imported.problems.filter((p) => p.severity === 'error')).toEqual([]);
      });

      const cases = [
        ...(spec.tests ?? []).map((c, i) => ({ c, kind: 'isEnabled' as const, i })),
        ...(spec.variantTests ?? []).map((c, i) => ({ c, kind: 'getVariant' as const, i })),
      ];
      for (const { c, kind, i } of cases) {
        const name = `${file} › ${c.description}`;
        const skip = SKIPPED[name];
        if (skip !== undefined) {
          it.skip(`${kind} #${i}: ${c.description} — skipped: ${skip}`, () => undefined);
          counts.skipped++;
          continue;
        }
        it(`${kind} #${i}: ${c.description}`, () => {
          for (const draw of DRAWS) {
            const options = { now: NOW, random: () => draw };
            const actual =
              kind === 'isEnabled'
                ? unleashIsEnabled(store, c.toggleName, c.context, options)
                : unleashGetVariant(store, c.toggleName, c.context, options);
            expect({ draw, actual }).toEqual({ draw, actual: c.expectedResult });
          }
          counts.passed++;
        });
      }
    });
  }

  afterAll(() => {
    // Every case either passed or is in SKIPPED with a reason; nothing silently dropped.
    const total = files
      .map((f) => readJson(f) as Spec)
      .reduce((n, s) => n + (s.tests?.length ?? 0) + (s.variantTests?.length ?? 0), 0);
    expect(counts.passed + counts.skipped).toBe(total);
  });
});
