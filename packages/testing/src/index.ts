import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { Registry, composePlan, draftPlan, type Catalog, type JsonObject, type PlanRequest } from '@pyrepo/core';
import { runDraft, type RunReport } from '@pyrepo/core/run';
import { catalog, catalogDir } from 'generator-pyrepo/catalog';
import { requireTools } from './tools.js';

requireTools();

export interface RunPyrepoOptions {
  /** A preset to run (name, package or path)... */
  preset?: string;
  /** ...or generators to add. */
  generators?: string[];
  /** Option values, as on the command line or in an answers file. */
  values?: JsonObject;
  /** Target folder; default: a new temporary folder (remove it with `result.cleanup()`). */
  dir?: string;
  /** Files to create before the run, to test merges into an existing repository. */
  files?: Record<string, string>;
  force?: boolean;
  dryRun?: boolean;
  /** Where packages and relative preset paths resolve from; default: the target folder. */
  cwd?: string;
  /** Skip install steps (venv, pip); default true. */
  skipInstall?: boolean;
  /** Show the install steps' command output as it comes (--verbose). */
  verbose?: boolean;
  /** Built-ins; default: generator-pyrepo's catalog. */
  catalog?: Catalog;
  catalogDir?: string;
}

export interface RunPyrepoResult {
  dir: string;
  report: RunReport;
  /** Yeoman's log lines (create, identical, conflict, ...), colours stripped. */
  log: string;
  /** Every file under the target folder (except .git), by path from it. */
  files(): Record<string, string>;
  read(path: string): string;
  cleanup(): void;
}

/** A fresh temporary folder, removed by `cleanup` in the result. */
export function tempDir(prefix = 'pyrepo-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Run with environment variables set (undefined: unset) for the in-process generation, then put
 * the environment back: generators run as child processes see exactly these (git, pip, venv).
 */
export async function withEnv<T>(variables: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(variables).map(name => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(variables);
  try {
    return await run();
  } finally {
    apply(saved);
  }
}

/**
 * The environment git gets in a test, whatever the machine's configuration: no global or system
 * config (an empty HOME), never guessing an identity; with `identity`, that author and committer.
 */
export function gitEnvironment(home: string, identity?: { name: string; email: string }): Record<string, string | undefined> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'user.useConfigOnly',
    GIT_CONFIG_VALUE_0: 'true',
    EMAIL: undefined,
    GIT_AUTHOR_NAME: identity?.name,
    GIT_AUTHOR_EMAIL: identity?.email,
    GIT_COMMITTER_NAME: identity?.name,
    GIT_COMMITTER_EMAIL: identity?.email,
  };
}

/** Write files (path from `dir` to contents) into a folder. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
}

/** Every file under `dir` (except .git and virtual environments), by relative path. */
export function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== '.git' && entry !== 'node_modules' && !statSafe(join(path, 'pyvenv.cfg'))) walk(path);
      } else tree[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return tree;
}

function statSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A copy of a generated repository in a new temporary folder, for a test that writes into it
 * (builds, vendors, installs), so the tests sharing the generated one stay independent.
 */
export function copyOf(dir: string): { dir: string; read(path: string): string; cleanup(): void } {
  const copy = tempDir('pyrepo-copy-');
  cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  return { dir: copy, read: path => readFileSync(join(copy, path), 'utf8'), cleanup: () => rmSync(copy, { recursive: true, force: true }) };
}

/** Every entry under a folder with its type, mode and bytes: equal states mean the folder is byte-for-byte unchanged. */
export function folderState(dir: string): Record<string, string> | 'absent' {
  if (!existsSync(dir)) return 'absent';
  const state: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      const stat = lstatSync(path);
      const key = relative(dir, path);
      if (stat.isSymbolicLink()) state[key] = `link ${readlinkSync(path)}`;
      else if (stat.isDirectory()) {
        state[key] = `dir ${stat.mode.toString(8)}`;
        walk(path);
      } else state[key] = `file ${stat.mode.toString(8)} ${readFileSync(path).toString('base64')}`;
    }
  };
  walk(dir);
  return state;
}

/**
 * Run a preset or generators the way `pyrepo new` / `pyrepo add --yes` does, in process, into a
 * real folder. Throws what the CLI would report (a UsageError for bad input).
 */
export async function runPyrepo(options: RunPyrepoOptions): Promise<RunPyrepoResult> {
  const dir = options.dir ?? tempDir();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  let report: RunReport;
  try {
    if (options.files) writeTree(dir, options.files);
    const registry = new Registry({ catalog: options.catalog ?? catalog, catalogDir: options.catalogDir ?? catalogDir, cwd: options.cwd ?? dir });
    const request: PlanRequest = { targetDir: dir, preset: options.preset, generators: options.generators, values: options.values ?? {}, interactive: false };
    report = await runDraft(draftPlan(request, registry, await composePlan(request, registry)), { yes: true, dryRun: options.dryRun ?? false, force: options.force ?? false, skipInstall: options.skipInstall ?? true, verbose: options.verbose, output });
  } catch (error) {
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    report,
    log: Buffer.concat(chunks).toString('utf8').replace(/\x1b\[[0-9;]*m/g, ''),
    files: () => readTree(dir),
    read: path => readFileSync(join(dir, path), 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Compare text with a snapshot file next to the test (`__snapshots__/<name>.snap`); with
 * UPDATE=1 in the environment, write it instead. Returns the failure message, or undefined.
 */
export function checkSnapshot(snapshotDir: string, name: string, actual: string): string | undefined {
  const file = join(snapshotDir, `${name}.snap`);
  if (process.env.UPDATE === '1') {
    mkdirSync(snapshotDir, { recursive: true });
    writeFileSync(file, actual);
    return undefined;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    return `No snapshot ${file}: run the tests with UPDATE=1 to write it, and review it.`;
  }
  if (expected === actual) return undefined;
  const expectedLines = expected.split('\n');
  const actualLines = actual.split('\n');
  const line = expectedLines.findIndex((text, index) => text !== actualLines[index]);
  return `Snapshot ${file} differs at line ${line + 1}:\n  expected: ${expectedLines[line] ?? '(end)'}\n  actual:   ${actualLines[line] ?? '(end)'}\nRun with UPDATE=1 if the change is intended, and review the diff.`;
}

/** A generated tree as one reviewable text: each file under a `=== path ===` line. */
export function renderTree(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([path, contents]) => `=== ${path} ===\n${contents}${contents.endsWith('\n') ? '' : '\n'}`)
    .join('\n');
}
export * from './checks.js';
export * from './docker.js';
export * from './scripts.js';
export * from './services.js';
export * from './systemd.js';
export * from './build.js';
export * from './release.js';
export * from './files.js';
export * from './ruff.js';
export * from './readme.js';
export { toolError } from './tools.js';

/**
 * Lines of the fixture's files that are gone from the folder now: each file the fixture had must
 * still hold every line it held, in order (other lines may have been added between them). Empty
 * when nothing the user wrote was removed.
 */
export function removedLines(dir: string, fixture: Record<string, string>): string[] {
  const removed: string[] = [];
  for (const [path, before] of Object.entries(fixture)) {
    let after: string[];
    try {
      after = readFileSync(join(dir, path), 'utf8').split('\n');
    } catch {
      removed.push(`${path}: the file is gone`);
      continue;
    }
    let at = 0;
    for (const line of before.split('\n')) {
      const found = after.indexOf(line, at);
      if (found === -1) removed.push(`${path}: ${JSON.stringify(line)}`);
      else at = found + 1;
    }
  }
  return removed;
}
