import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtures = join(repoRoot, 'test', 'fixtures');
export const bin = join(repoRoot, 'packages', 'cli', 'dist', 'src', 'bin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real `pyrepo` binary (no terminal: it never prompts). */
export function pyrepo(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.replace(/\x1b\[[0-9;]*m/g, '') };
}

/** Every entry under a folder with its type, mode and bytes: equal snapshots mean the folder is byte-for-byte unchanged. */
export function folderState(dir: string): Record<string, string> | 'absent' {
  if (!existsSync(dir)) return 'absent';
  const state: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      const stat = lstatSync(path);
      const key = relative(dir, path);
      if (stat.isDirectory()) {
        state[key] = `dir ${stat.mode.toString(8)}`;
        walk(path);
      } else state[key] = `file ${stat.mode.toString(8)} ${readFileSync(path).toString('base64')}`;
    }
  };
  walk(dir);
  return state;
}
