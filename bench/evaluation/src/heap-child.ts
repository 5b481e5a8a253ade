/**
 * Heap held by one engine loaded with N flags (S5 shape), in a process of its own.
 * Usage: node --expose-gc heap-child.js <engine-id> <flag-count>; prints one JSON line.
 *
 * 1. a throw-away instance with a few flags is loaded, evaluated and dropped, so that module code
 *    and lazy one-time initialisation are not counted;
 * 2. full GC, baseline `heapUsed`;
 * 3. the flag definitions are built in the engine's own input format and loaded; every flag is
 *    evaluated once (engines may compile or cache lazily); our input is dropped;
 * 4. full GC, `heapUsed` again while the engine is still referenced. The difference is reported.
 */
import { asParsed, buildUsers, heapFlags, type S5Flag } from './data';
import { allEngines } from './engines';
import type { HeapHandle } from './engines/types';

declare const gc: () => void;

function fullGc(): void {
  for (let i = 0; i < 4; i++) gc();
}

async function settle(): Promise<void> {
  // let pending promise jobs / timers of the SDKs run before measuring
  await new Promise((r) => setTimeout(r, 50));
  fullGc();
}

async function main(): Promise<void> {
  const [engineId, countArg] = process.argv.slice(2);
  const count = Number(countArg);
  if (typeof gc !== 'function') throw new Error('run with --expose-gc');
  const engine = allEngines().find((e) => e.id === engineId);
  if (!engine) throw new Error(`unknown engine ${engineId}`);
  const probe = asParsed(buildUsers(1, 1))[0];

  {
    const warm = heapFlags(20);
    const h = await engine.loadForHeap(warm);
    await h.touch(warm, probe);
    await h.close();
  }
  await settle();
  const base = process.memoryUsage();

  let flags: S5Flag[] | undefined = heapFlags(count);
  const handle: HeapHandle = await engine.loadForHeap(flags);
  flags = undefined;
  await settle();
  const afterLoad = process.memoryUsage();

  let again: S5Flag[] | undefined = heapFlags(count); // fresh copy: touch must not pin our input
  await handle.touch(again, probe);
  again = undefined;
  await settle();
  const after = process.memoryUsage();

  process.stdout.write(
    JSON.stringify({
      engine: engineId,
      flags: count,
      heapUsedBytes: after.heapUsed - base.heapUsed,
      heapUsedAfterLoadBytes: afterLoad.heapUsed - base.heapUsed,
      externalBytes: after.external - base.external,
    }) + '\n',
  );
  // keep the engine referenced until after the measurement
  if ((handle as unknown) === null) console.log('unreachable');
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
