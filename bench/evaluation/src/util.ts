import * as fs from 'node:fs';
import * as path from 'node:path';

/** The monorepo root: the first ancestor of this file holding package.json named "flagpole". */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'flagpole') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('flagpole repository root not found');
    dir = up;
  }
}

/** Installed version of an npm package (read from node_modules; some packages do not export package.json). */
export function pkgVersion(pkg: string): string {
  if (pkg === 'flagpole') return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')).version;
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
