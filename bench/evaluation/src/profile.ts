/**
 * Runs one engine on one scenario in a loop, for profiling its hot path:
 *   node --cpu-prof --cpu-prof-dir=bench/evaluation/profiles \
 *     bench/evaluation/.out/bench/evaluation/src/profile.js flagpole S5 [seconds]
 * (`bash bench/evaluation/run.sh --profile=flagpole:S5` does the build and this, then prints the
 * top self-time functions of the profile.)
 */
import { buildWorkload, itemCount, type ScenarioId } from './data';
import { allEngines } from './engines';

async function main(): Promise<void> {
  const [engineId, scenario, secondsArg] = process.argv.slice(2);
  const f = allEngines().find((e) => e.id === engineId);
  if (!f) throw new Error(`unknown engine ${engineId}`);
  const s = scenario.toUpperCase() as ScenarioId;
  const seconds = Number(secondsArg ?? 5);
  const w = buildWorkload();
  const a = await f.create(w);
  const n = itemCount(w, s);
  let sink = 0, evals = 0;
  const t0 = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    sink += await a.run(s, 1);
    evals += n;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  console.log(`${engineId} ${s}: ${(ns / evals).toFixed(1)} ns/eval over ${evals} evaluations (sink ${sink})`);
  await a.close();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
