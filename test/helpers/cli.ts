import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '@pyrepo/testing';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtures = join(repoRoot, 'test', 'fixtures');
// The shipped CLI: the bin, which runs the bundle (scripts/bundle.mjs), as `npm i -g pyrepo` installs it.
export const bin = join(repoRoot, 'packages', 'cli', 'dist', 'src', 'bin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI's code cache folder for this test process: its own, never the user's ~/.cache/pyrepo
 * (or a PYREPO_CACHE_DIR the shell set), so no test depends on what an earlier run left there.
 */
export const cacheDir = mkdtempSync(join(tmpdir(), 'pyrepo-test-cache-'));
process.on('exit', () => rmSync(cacheDir, { recursive: true, force: true }));

/** The environment the CLI runs with in tests: this process's, with its own cache folder and no colours. */
export function cliEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // uvu sets FORCE_COLOR in its own process; with NO_COLOR beside it, Node warns on every start.
  const { FORCE_COLOR: _forced, ...inherited } = process.env;
  return { ...inherited, NO_COLOR: '1', PYREPO_CACHE_DIR: cacheDir, ...env };
}

/** Run the real `pyrepo` binary (no terminal: it never prompts). */
export function pyrepo(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 60_000): CliResult {
  // SIGKILL on timeout: a run stuck in a synchronous read (a FIFO) never hears SIGTERM.
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: cliEnv(env), timeout, killSignal: 'SIGKILL' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.replace(/\x1b\[[0-9;]*m/g, '') };
}

export { folderState } from '@pyrepo/testing';

export interface BackgroundResult {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Whether `ready` said so before the process ended (and `act` ran). */
  acted: boolean;
}

/**
 * Run the real CLI in the background; `ready` is checked on every change the file system reports
 * under `watched` (inotify, recursive; the working folder unless given), never by a timed poll that
 * may miss the moment, and `act` runs once it holds (deliver a signal, edit a file mid-run).
 * Killed after a minute.
 */
export function runInBackground(args: string[], cwd: string, ready: () => boolean, act: (child: ChildProcess) => void, watched = cwd): Promise<BackgroundResult> {
  let acted = false;
  let child: ChildProcess | undefined;
  const check = () => {
    if (!acted && child && ready()) {
      acted = true;
      act(child);
    }
  };
  const watcher = watch(watched, { recursive: true }, check);
  // A folder made and removed between two events (the run's own .pyrepo.lock) cannot be watched
  // any more: not an error of the test; the other folders stay watched.
  watcher.on('error', error => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  });
  child = spawn(process.execPath, [bin, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      watcher.close();
      clearTimeout(timer);
      resolve({ code, signal, stderr, acted });
    });
  });
}

/** A maker of temporary folders for one test file; `cleanup` (for test.after) removes them all. */
export function tempFolders(prefix: string): { make: () => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: () => {
      const dir = tempDir(prefix);
      made.push(dir);
      return dir;
    },
    cleanup: () => made.forEach(dir => rmSync(dir, { recursive: true, force: true })),
  };
}

/** A temporary folder inside the workspace, where packages made in it find @pyrepo/core and the test tools as installed packages do. */
export function workspaceTempDir(prefix: string): string {
  mkdirSync(join(repoRoot, 'test', '.work'), { recursive: true });
  return mkdtempSync(join(repoRoot, 'test', '.work', prefix));
}
