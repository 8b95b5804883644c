import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest `.git` (folder, or file for worktrees and submodules) in `dir` or above. */
export function nearestGit(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return join(current, '.git');
    if (dirname(current) === current) return undefined;
  }
}
