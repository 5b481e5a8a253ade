/**
 * Flagpole evaluation benchmark: Flagpole's engine against unleash-client, the LaunchDarkly
 * Node server SDK, flagd-core and GrowthBook — one process, interleaved rounds, warm-up
 * discarded — plus the heap each engine holds for 10,000 flags (one child process per engine).
 *
 * Run with `bash bench/evaluation/run.sh` (see bench/README.md). Options:
 *   --quick               fewer rounds (smoke run; figures not meaningful)
 *   --engines=a,b         subset of engines (ids: flagpole, unleash, launchdarkly, flagd, growthbook)
 *   --scenarios=S1,S3     subset of scenarios
 *   --no-heap             skip the heap measurement
 *   --rounds=N --warmup=N --batch-ms=N   override the timing plan
 *   --out=DIR             where results.md / results.json go (default bench/evaluation)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SCENARIOS,
  SCENARIO_TITLES,
  S2_SHARE,
  S4_VARIANTS,
  S4_WEIGHTS,
  S5_FLAG_COUNT,
  buildWorkload,
  expectedS3,
  expectedS5,
  itemCount,
  type ScenarioId,
  type Workload,
} from './data';
import { FLAGPOLE_ID, allEngines } from './engines';
import type { Answer, EngineAdapter, EngineFactory } from './engines/types';
import { pkgVersion, repoRoot } from './util';

// ---------------------------------------------------------------------------------------------
// options

interface Options {
  quick: boolean;
  engines?: string[];
  scenarios: ScenarioId[];
  heap: boolean;
  rounds: number;
  warmup: number;
  batchMs: number;
  outDir: string;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const a = argv.find((x) => x.startsWith(`--${name}=`));
    return a?.slice(name.length + 3);
  };
  const quick = argv.includes('--quick');
  const scen = get('scenarios');
  return {
    quick,
    engines: get('engines')?.split(','),
    scenarios: scen ? (scen.split(',').map((s) => s.toUpperCase()) as ScenarioId[]) : [...SCENARIOS],
    heap: !argv.includes('--no-heap'),
    rounds: Number(get('rounds') ?? (quick ? 6 : 25)),
    warmup: Number(get('warmup') ?? (quick ? 2 : 5)),
    batchMs: Number(get('batch-ms') ?? (quick ? 5 : 20)),
    outDir: path.resolve(get('out') ?? path.join(repoRoot(), 'bench', 'evaluation')),
  };
}

// ---------------------------------------------------------------------------------------------
// correctness: equivalent answers before anything is timed

const TOLERANCE = 0.015; // ±1.5 percentage points of the target share

interface Check {
  ok: boolean;
  detail: string;
  shares?: Record<string, number>;
}

async function answers(a: EngineAdapter, s: ScenarioId, n: number): Promise<Answer[]> {
  const out: Answer[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = await a.answer(s, i);
  return out;
}

function share(ans: Answer[], v: Answer): number {
  let c = 0;
  for (const x of ans) if (x === v) c++;
  return c / ans.length;
}

async function check(a: EngineAdapter, s: ScenarioId, w: Workload): Promise<Check> {
  const n = itemCount(w, s);
  const first = await answers(a, s, n);
  switch (s) {
    case 'S1': {
      const bad = first.findIndex((x) => x !== true);
      return bad < 0 ? { ok: true, detail: `${n}/${n} true` } : { ok: false, detail: `item ${bad}: ${String(first[bad])}` };
    }
    case 'S3':
    case 'S5': {
      const exp = (i: number) => (s === 'S3' ? expectedS3(w.users[i]) : expectedS5(w, i));
      let bad = -1, t = 0;
      for (let i = 0; i < n; i++) {
        if (first[i] === true) t++;
        if (first[i] !== exp(i) && bad < 0) bad = i;
      }
      return bad < 0
        ? { ok: true, detail: `${n}/${n} identical to reference (${t} true)`, shares: { true: t / n } }
        : { ok: false, detail: `item ${bad}: got ${String(first[bad])}, expected ${exp(bad)}` };
    }
    case 'S2':
    case 'S4': {
      const again = await answers(a, s, n);
      const flips = first.filter((x, i) => x !== again[i]).length;
      const targets: Record<string, number> = s === 'S2' ? { true: S2_SHARE, false: 1 - S2_SHARE } : { ...S4_WEIGHTS };
      const values: Answer[] = s === 'S2' ? [true, false] : [...S4_VARIANTS];
      const shares: Record<string, number> = {};
      const problems: string[] = [];
      let known = 0;
      for (const v of values) {
        const sh = share(first, v);
        known += sh;
        shares[String(v)] = sh;
        if (Math.abs(sh - targets[String(v)]) > TOLERANCE) problems.push(`${String(v)} ${(sh * 100).toFixed(2)}% (target ${(targets[String(v)] * 100).toFixed(0)}%)`);
      }
      if (known < 1 - 1e-9) problems.push(`${((1 - known) * 100).toFixed(2)}% unexpected answers`);
      if (flips) problems.push(`${flips} users changed answer on re-evaluation`);
      const desc = values.map((v) => `${String(v)} ${(shares[String(v)] * 100).toFixed(2)}%`).join(', ');
      return problems.length ? { ok: false, detail: problems.join('; '), shares } : { ok: true, detail: `${desc}; stable on re-evaluation`, shares };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// timing

declare const gc: undefined | ((o?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void);
const minorGc = typeof gc === 'function' ? () => gc!({ type: 'minor' }) : () => undefined;

let SINK = 0; // every batch result is folded in; printed at the end so nothing is dead code

/** Wall time (hrtime) of one batch, plus the process CPU time spent meanwhile (contention gauge). */
async function batch(f: EngineFactory, a: EngineAdapter, s: ScenarioId, reps: number): Promise<{ wall: number; cpu: number }> {
  minorGc(); // each engine pays for its own garbage, not for the previous engine's
  const c0 = process.cpuUsage();
  let wall: bigint;
  if (f.isAsync) {
    const t0 = process.hrtime.bigint();
    SINK += await a.run(s, reps);
    wall = process.hrtime.bigint() - t0;
  } else {
    const t0 = process.hrtime.bigint();
    SINK += a.run(s, reps) as number;
    wall = process.hrtime.bigint() - t0;
  }
  const c = process.cpuUsage(c0);
  return { wall: Number(wall), cpu: (c.user + c.system) * 1000 };
}

interface Timing {
  reps: number;
  evalsPerSample: number;
  /** Wall-clock ns per evaluation (process.hrtime.bigint), one per measured round. */
  samples: number[];
  median: number;
  p95: number;
  min: number;
  mean: number;
  /** Process CPU-time ns per evaluation (process.cpuUsage; all threads), one per measured round. */
  cpuSamples: number[];
  cpuMedian: number;
  /** Median of CPU time / wall time per batch: well below 1 means the process was descheduled. */
  cpuShare: number;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

async function timeScenario(
  engines: EngineFactory[],
  adapters: Map<string, EngineAdapter>,
  s: ScenarioId,
  w: Workload,
  o: Options,
): Promise<Map<string, Timing>> {
  const n = itemCount(w, s);
  // calibration (also the first warm-up): size each engine's batch to ~batchMs
  const reps = new Map<string, number>();
  for (const f of engines) {
    const a = adapters.get(f.id)!;
    let ns = Infinity;
    for (let k = 0; k < 3; k++) ns = Math.min(ns, (await batch(f, a, s, 1)).wall);
    reps.set(f.id, Math.max(1, Math.min(100_000, Math.round((o.batchMs * 1e6) / ns))));
  }
  const samples = new Map<string, number[]>(engines.map((f) => [f.id, []]));
  const cpuSamples = new Map<string, number[]>(engines.map((f) => [f.id, []]));
  const shares = new Map<string, number[]>(engines.map((f) => [f.id, []]));
  const total = o.warmup + o.rounds;
  for (let round = 0; round < total; round++) {
    // interleaved: every round runs every engine once; the starting engine rotates
    for (let k = 0; k < engines.length; k++) {
      const f = engines[(round + k) % engines.length];
      const r = reps.get(f.id)!;
      const b = await batch(f, adapters.get(f.id)!, s, r);
      if (round >= o.warmup) {
        samples.get(f.id)!.push(b.wall / (r * n));
        cpuSamples.get(f.id)!.push(b.cpu / (r * n));
        shares.get(f.id)!.push(b.cpu / b.wall);
      }
    }
  }
  const out = new Map<string, Timing>();
  for (const f of engines) {
    const xs = samples.get(f.id)!;
    const sorted = [...xs].sort((a, b) => a - b);
    const cs = cpuSamples.get(f.id)!;
    const sortedCpu = [...cs].sort((a, b) => a - b);
    const sh = [...shares.get(f.id)!].sort((a, b) => a - b);
    out.set(f.id, {
      reps: reps.get(f.id)!,
      evalsPerSample: reps.get(f.id)! * n,
      samples: xs.map((x) => Math.round(x * 100) / 100),
      median: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      min: sorted[0],
      mean: xs.reduce((a, b) => a + b, 0) / xs.length,
      cpuSamples: cs.map((x) => Math.round(x * 100) / 100),
      cpuMedian: quantile(sortedCpu, 0.5),
      cpuShare: Math.round(quantile(sh, 0.5) * 1000) / 1000,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// heap: one child process per engine and flag count

interface HeapResult {
  engine: string;
  flags: number;
  heapUsedBytes: number;
  heapUsedAfterLoadBytes: number;
  externalBytes: number;
  error?: string;
}

function heapChild(engine: string, flags: number): HeapResult {
  const script = path.join(__dirname, 'heap-child.js');
  const r = spawnSync(process.execPath, ['--expose-gc', script, engine, String(flags)], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = r.stdout?.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as HeapResult;
  } catch {
    return { engine, flags, heapUsedBytes: NaN, heapUsedAfterLoadBytes: NaN, externalBytes: NaN, error: (r.stderr || String(r.error) || 'no output').slice(-2000) };
  }
}

interface HeapRow {
  engine: string;
  /** heap(10,000 flags) − heap(0 flags): what the flags cost, instance overhead excluded. */
  flagsBytes: number;
  /** heap of the engine instance with 0 flags. */
  emptyBytes: number;
  afterLoadBytes: number;
  error?: string;
}

function measureHeap(engines: EngineFactory[]): HeapRow[] {
  const rows: HeapRow[] = [];
  for (const f of engines) {
    process.stdout.write(`  heap ${f.id} … `);
    const empty = heapChild(f.id, 0);
    const full = heapChild(f.id, S5_FLAG_COUNT);
    const error = empty.error ?? full.error;
    const row: HeapRow = {
      engine: f.id,
      flagsBytes: full.heapUsedBytes - empty.heapUsedBytes,
      emptyBytes: empty.heapUsedBytes,
      afterLoadBytes: full.heapUsedAfterLoadBytes - empty.heapUsedAfterLoadBytes,
      ...(error ? { error } : {}),
    };
    rows.push(row);
    console.log(error ? `FAILED: ${error.split('\n').slice(-3).join(' | ')}` : `${mb(row.flagsBytes)} MB`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// report

const mb = (b: number) => (b / (1024 * 1024)).toFixed(2);
const fmtNs = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

interface Report {
  machine: ReturnType<typeof machine>;
  plan: { rounds: number; warmup: number; batchMs: number; quick: boolean };
  engines: { id: string; name: string; pkg: string; version: string; async: boolean; api: string }[];
  scenarios: {
    id: ScenarioId;
    title: string;
    checks: Record<string, Check>;
    timings: Record<string, Timing>;
    fastestPeer?: string;
    speedupVsFastestPeer?: number;
    meetsTarget?: boolean;
    /** Same comparison on CPU-time medians (secondary; robust to descheduling). */
    cpuSpeedupVsFastestPeer?: number;
  }[];
  heap?: { flags: number; rows: HeapRow[]; leanestPeer?: string; flagpoleVsLeanestPeer?: number; meetsTarget?: boolean };
  sink: number;
}

function renderMarkdown(r: Report): string {
  const ids = r.engines.map((e) => e.id);
  const name = (id: string) => r.engines.find((e) => e.id === id)!.name;
  const hasFp = ids.includes(FLAGPOLE_ID);
  const L: string[] = [];
  L.push('# Evaluation benchmark — results', '');
  L.push(`Generated by \`bash bench/evaluation/run.sh\` on ${r.machine.date}.`, '');
  L.push('## Machine', '');
  L.push(`- Node ${r.machine.node} (V8 ${r.machine.v8}), ${r.machine.platform}`);
  L.push(`- CPU: ${r.machine.cpu} × ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB RAM; load average at start ${r.machine.loadavgAtStart.join(' / ')}`);
  L.push(`- Plan: ${r.plan.warmup} warm-up + ${r.plan.rounds} measured interleaved rounds per scenario, ~${r.plan.batchMs} ms per engine per round${r.plan.quick ? ' (**--quick: smoke run, figures not meaningful**)' : ''}`);
  L.push('- The machine is shared (2 cores, other work running): figures are noisy; compare engines within one run, not across runs.', '');
  L.push('## Engines', '');
  L.push('| Engine | Package | Version | API timed |', '|---|---|---|---|');
  for (const e of r.engines) L.push(`| ${e.name} | \`${e.pkg}\` | ${e.version} | ${e.api} |`);
  L.push('');
  L.push('## Time per evaluation (ns, median over rounds; p95 in parentheses; lower is better)', '');
  const head = ['Scenario', ...ids.map(name)];
  if (hasFp) head.push('Fastest peer', 'Flagpole speed-up', '≥ 3×');
  L.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const s of r.scenarios) {
    const cells = [`**${s.id}** ${s.title}`];
    for (const id of ids) {
      const t = s.timings[id];
      cells.push(t ? `${fmtNs(t.median)} (${fmtNs(t.p95)})` : '—');
    }
    if (hasFp) {
      cells.push(s.fastestPeer ? name(s.fastestPeer) : '—');
      cells.push(s.speedupVsFastestPeer ? `${s.speedupVsFastestPeer.toFixed(2)}×` : '—');
      cells.push(s.meetsTarget === undefined ? '—' : s.meetsTarget ? 'yes' : '**no**');
    }
    L.push(`| ${cells.join(' | ')} |`);
  }
  L.push('');
  L.push('Process CPU time per evaluation (ns, median; `process.cpuUsage`, which also counts GC/JIT helper threads) — a cross-check robust to the process being descheduled on a busy machine. "CPU share" = CPU time / wall time of the batches, median over all engines (1.00 = never descheduled):', '');
  const headCpu = ['Scenario', ...ids.map(name)];
  if (hasFp) headCpu.push('Flagpole speed-up (CPU)');
  headCpu.push('CPU share');
  L.push(`| ${headCpu.join(' | ')} |`, `|${headCpu.map(() => '---').join('|')}|`);
  for (const s of r.scenarios) {
    const cells = [s.id, ...ids.map((id) => (s.timings[id] ? fmtNs(s.timings[id].cpuMedian) : '—'))];
    if (hasFp) cells.push(s.cpuSpeedupVsFastestPeer ? `${s.cpuSpeedupVsFastestPeer.toFixed(2)}×` : '—');
    const sh = ids.map((id) => s.timings[id]?.cpuShare).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    cells.push(sh.length ? sh[Math.floor(sh.length / 2)].toFixed(2) : '—');
    L.push(`| ${cells.join(' | ')} |`);
  }
  L.push('');
  L.push('Throughput equivalents (millions of evaluations per second, median):', '');
  L.push(`| Scenario | ${ids.map(name).join(' | ')} |`, `|---|${ids.map(() => '---').join('|')}|`);
  for (const s of r.scenarios) L.push(`| ${s.id} | ${ids.map((id) => (s.timings[id] ? (1e3 / s.timings[id].median).toFixed(2) : '—')).join(' | ')} |`);
  L.push('');
  if (r.heap) {
    const h = r.heap;
    L.push(`## Heap held by ${h.flags.toLocaleString('en-US')} flags`, '');
    L.push('Separate `node --expose-gc` child per engine; `heapUsed` after full GC with the engine referenced and every flag evaluated once, minus the same engine holding 0 flags.', '');
    L.push('| Engine | Heap for 10,000 flags (MB) | Bytes per flag | Just after loading (MB) | Empty instance (MB) |', '|---|---|---|---|---|');
    for (const row of h.rows) {
      if (row.error) L.push(`| ${name(row.engine)} | failed | | | |`);
      else L.push(`| ${name(row.engine)} | ${mb(row.flagsBytes)} | ${Math.round(row.flagsBytes / h.flags)} | ${mb(row.afterLoadBytes)} | ${mb(row.emptyBytes)} |`);
    }
    L.push('');
    if (hasFp && h.leanestPeer) {
      L.push(`Leanest peer: ${name(h.leanestPeer)}. Flagpole / leanest peer = ${h.flagpoleVsLeanestPeer!.toFixed(2)} → target (≤ 1) ${h.meetsTarget ? 'met' : '**missed**'}.`, '');
    }
  }
  L.push('## Equivalence checks (run before timing)', '');
  L.push(`| Scenario | ${ids.map(name).join(' | ')} |`, `|---|${ids.map(() => '---').join('|')}|`);
  for (const s of r.scenarios) L.push(`| ${s.id} | ${ids.map((id) => (s.checks[id] ? `${s.checks[id].ok ? '✔' : '✘'} ${s.checks[id].detail}` : '—')).join(' | ')} |`);
  L.push('');
  L.push('## Notes', '');
  L.push('- One process, all engines loaded; per scenario each round runs every engine once (start rotates), warm-up rounds discarded, a minor GC before every batch so that an engine pays for its own garbage.');
  L.push('- Every evaluation goes through the engine\'s public per-flag API with a pre-built context in the engine\'s own shape (built outside the timed loop); results are folded into a sink.');
  L.push('- LaunchDarkly\'s `variation` is asynchronous (returns a Promise); its figures include awaiting each call, which is the cost an application pays. The others are synchronous.');
  L.push('- S1/S3/S5 answers are checked identical to a plain-JS reference for every context; S2/S4 hash differently per engine, so their shares are checked within ±1.5 points of the target and every user must get the same answer twice.');
  L.push('');
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  let engines = allEngines();
  if (o.engines) engines = engines.filter((e) => o.engines!.includes(e.id));
  if (!engines.length) throw new Error('no engine selected');
  if (typeof gc !== 'function') console.warn('warning: run with --expose-gc (run.sh does) for per-batch GC isolation');

  const report: Report = {
    machine: machine(),
    plan: { rounds: o.rounds, warmup: o.warmup, batchMs: o.batchMs, quick: o.quick },
    engines: engines.map((e) => ({ id: e.id, name: e.name, pkg: e.pkg, version: pkgVersion(e.pkg), async: e.isAsync, api: e.api })),
    scenarios: [],
    sink: 0,
  };
  console.log(`Node ${report.machine.node}, ${report.machine.cpu} × ${report.machine.cores}; engines: ${engines.map((e) => `${e.id}@${pkgVersion(e.pkg)}`).join(', ')}`);

  const w = buildWorkload();
  const adapters = new Map<string, EngineAdapter>();
  for (const f of engines) adapters.set(f.id, await f.create(w));

  let failed = false;
  for (const s of o.scenarios) {
    const checks: Record<string, Check> = {};
    for (const f of engines) {
      checks[f.id] = await check(adapters.get(f.id)!, s, w);
      if (!checks[f.id].ok) failed = true;
      console.log(`  check ${s} ${f.id.padEnd(12)} ${checks[f.id].ok ? 'ok ' : 'FAIL'} ${checks[f.id].detail}`);
    }
    report.scenarios.push({ id: s, title: SCENARIO_TITLES[s], checks, timings: {} });
  }
  if (failed) {
    fs.writeFileSync(path.join(o.outDir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
    throw new Error('equivalence checks failed: engines do not give equivalent answers; nothing was timed');
  }

  for (const entry of report.scenarios) {
    const t0 = Date.now();
    const timings = await timeScenario(engines, adapters, entry.id, w, o);
    for (const [id, t] of timings) entry.timings[id] = t;
    const peers = [...timings.entries()].filter(([id]) => id !== FLAGPOLE_ID);
    const fp = timings.get(FLAGPOLE_ID);
    if (fp && peers.length) {
      const [bestId, best] = peers.reduce((a, b) => (b[1].median < a[1].median ? b : a));
      entry.fastestPeer = bestId;
      entry.speedupVsFastestPeer = best.median / fp.median;
      entry.meetsTarget = entry.speedupVsFastestPeer >= 3;
      const bestCpu = Math.min(...peers.map(([, t]) => t.cpuMedian));
      entry.cpuSpeedupVsFastestPeer = bestCpu / fp.cpuMedian;
    }
    console.log(
      `  ${entry.id} (${((Date.now() - t0) / 1000).toFixed(1)} s): ` +
        [...timings].map(([id, t]) => `${id} ${fmtNs(t.median)} ns`).join(', ') +
        (entry.speedupVsFastestPeer ? ` — flagpole ${entry.speedupVsFastestPeer.toFixed(2)}× vs ${entry.fastestPeer}` : ''),
    );
  }
  for (const a of adapters.values()) await a.close();

  if (o.heap) {
    const rows = measureHeap(engines);
    report.heap = { flags: S5_FLAG_COUNT, rows };
    const fp = rows.find((r) => r.engine === FLAGPOLE_ID && !r.error);
    const peers = rows.filter((r) => r.engine !== FLAGPOLE_ID && !r.error);
    if (fp && peers.length) {
      const lean = peers.reduce((a, b) => (b.flagsBytes < a.flagsBytes ? b : a));
      report.heap.leanestPeer = lean.engine;
      report.heap.flagpoleVsLeanestPeer = fp.flagsBytes / lean.flagsBytes;
      report.heap.meetsTarget = fp.flagsBytes <= lean.flagsBytes;
    }
  }

  report.sink = SINK;
  fs.mkdirSync(o.outDir, { recursive: true });
  fs.writeFileSync(path.join(o.outDir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(path.join(o.outDir, 'results.md'), renderMarkdown(report));
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(o.outDir, 'results.md'))} and results.json (sink ${SINK})`);
}

main().then(
  () => process.exit(0), // SDK clients may keep handles open; the run is over
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
