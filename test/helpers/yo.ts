import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './cli.js';
import { runInTerminal } from './terminal.js';

/** The workspace's yo 7. */
export const yoBin = join(repoRoot, 'test', 'node_modules', '.bin', 'yo');
/** yo refuses to run as root: it switches itself to uid 1000, which must own what it writes. */
export const asRoot = process.getuid?.() === 0;

/** A sandbox for the real `yo`: its own HOME, and NODE_PATH holding generator-pyrepo, as `npm link` would. */
export function yoSandbox() {
  if (asRoot) {
    for (let dir = repoRoot; ; dir = dirname(dir)) {
      const stat = statSync(dir);
      if ((stat.mode & 0o001) === 0 && stat.uid !== 1000) {
        throw new Error(`yo runs as uid 1000, which cannot enter ${dir}: make the checkout's folders traversable (chmod o+x), as .ci/run does.`);
      }
      if (dirname(dir) === dir) break;
    }
  }
  const root = mkdtempSync(join(tmpdir(), 'pyrepo-yo-'));
  chmodSync(root, 0o755);
  const home = join(root, 'home');
  const paths = join(root, 'paths');
  mkdirSync(home);
  mkdirSync(paths);
  symlinkSync(join(repoRoot, 'packages', 'generator-pyrepo'), join(paths, 'generator-pyrepo'));
  if (asRoot) chownSync(home, 1000, 1000);
  const env = { ...process.env, HOME: home, NODE_PATH: paths, NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0' };
  return {
    /** Remove everything the sandbox holds. */
    cleanup: () => rmSync(root, { recursive: true, force: true }),
    /** A new empty folder yo may write into. */
    folder(name: string): string {
      const dir = join(root, name);
      mkdirSync(dir);
      if (asRoot) chownSync(dir, 1000, 1000);
      return dir;
    },
    run(args: string[], cwd: string) {
      const result = spawnSync(yoBin, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
      return { code: result.status, output: `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') };
    },
    /** Run yo in a pseudo-terminal, answering each prompt when its text appears. */
    interactive(args: string[], cwd: string, answers: Array<[RegExp, string]>) {
      return runInTerminal([yoBin, ...args], { cwd, env }, answers);
    },
  };
}
