import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker from a module of this service, given its path without extension relative to
 * this file's folder. Compiled, the worker is the JavaScript next to it; when this file is
 * TypeScript (tests, and `node -r register-ts.cjs`), the worker loads its source through the
 * same register hook.
 */
export function startWorker(relative: string): Worker {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `${relative}${extension}`);
  if (extension === '.js') return new Worker(file);
  const register = path.resolve(__dirname, '../scripts/register-ts.cjs');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(file)});`, { eval: true });
}
