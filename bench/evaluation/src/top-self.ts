/**
 * Summarises a V8 .cpuprofile: functions by self time (and the share of samples), so that the
 * hot path can be read without DevTools. Usage: node top-self.js <file.cpuprofile> [count]
 */
import * as fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

function main(): void {
  const [file, countArg] = process.argv.slice(2);
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
  const total = prof.samples.length;
  const hits = new Map<number, number>();
  for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const self = new Map<string, number>();
  for (const n of prof.nodes) {
    const c = hits.get(n.id) ?? 0;
    if (!c) continue;
    const url = n.callFrame.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${url}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + c);
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(countArg ?? 25));
  console.log(`${total} samples; self time:`);
  for (const [k, c] of rows) console.log(`${((100 * c) / total).toFixed(1).padStart(6)}%  ${k}`);
}

main();
