import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

const yoBin = join(repoRoot, 'test', 'node_modules', '.bin', 'yo');
// yo refuses to run as root: it switches itself to uid 1000, which must own what it writes.
const asRoot = process.getuid?.() === 0;

/** A sandbox for the real `yo`: its own HOME, and NODE_PATH holding generator-pyrepo, as `npm link` would. */
export function yoSandbox() {
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
    /** Run yo in a pseudo-terminal (util-linux `script`), answering each prompt when its text appears. */
    interactive(args: string[], cwd: string, answers: Array<[RegExp, string]>): Promise<{ code: number | null; output: string }> {
      const command = [yoBin, ...args].map(word => `'${word}'`).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...env, TERM: 'dumb', COLUMNS: '120' } });
      let output = '';
      let pending = [...answers];
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const clean = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
        while (pending.length > 0 && pending[0]![0].test(clean)) {
          child.stdin.write(pending[0]![1]);
          pending = pending.slice(1);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      return new Promise(resolve => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('close', code => {
          clearTimeout(timer);
          resolve({ code, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') });
        });
      });
    },
  };
}
