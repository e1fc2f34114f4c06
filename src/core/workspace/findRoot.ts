import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE } from '../config/fileName';

/** The repository root: the nearest folder with prompt-registry.yaml, else with .git, else `start`. */
export function findRoot(start: string): string {
  const abs = path.resolve(start);
  for (const marker of [CONFIG_FILE, '.git']) {
    let dir = abs;
    for (;;) {
      if (fs.existsSync(path.join(dir, marker))) return dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return abs;
}
