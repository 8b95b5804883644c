import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { python, runTool } from './checks.js';
import { gitEnvironment } from './index.js';

/**
 * Build a wheel of a one-module package (`name`, `version`, the module's source) into `wheelsDir`,
 * with Debian's pip and setuptools, offline: there is no PyPI here, so tests make their own.
 */
export function buildWheel(wheelsDir: string, name: string, version: string, source: string): string {
  const work = mkdtempSync(join(tmpdir(), 'pyrepo-wheel-'));
  try {
    const module = name.replace(/-/g, '_');
    writeFileSync(join(work, `${module}.py`), source);
    writeFileSync(join(work, 'setup.py'), `from setuptools import setup\nsetup(name=${JSON.stringify(name)}, version=${JSON.stringify(version)}, py_modules=[${JSON.stringify(module)}])\n`);
    mkdirSync(wheelsDir, { recursive: true });
    runTool(python, ['-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '--no-index', '--disable-pip-version-check', '--quiet', '--wheel-dir', wheelsDir, work]);
    return readdirSync(wheelsDir).find(file => file.startsWith(`${module}-${version}-`))!;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Environment for pip to install only from a folder of wheels (pip reads PIP_* variables). */
export function offlinePip(wheelsDir: string): NodeJS.ProcessEnv {
  return { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheelsDir, PIP_DISABLE_PIP_VERSION_CHECK: '1' };
}

/**
 * Commit everything in `dir` (making it a git repository first if it is none) and tag the commit,
 * as a release is tagged (`v1.0.0`): setuptools-scm reads the version from it. Git sees no
 * configuration of this machine (gitEnvironment) and a fixed identity.
 */
export function tagRelease(dir: string, tag: string): void {
  const home = mkdtempSync(join(tmpdir(), 'pyrepo-git-home-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [name, value] of Object.entries(gitEnvironment(home, { name: 'Release Test', email: 'release@example.com' }))) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    const git = (...args: string[]) => runTool('git', args, { cwd: dir, env });
    if (!existsSync(join(dir, '.git'))) git('init', '--quiet', '--initial-branch=main');
    git('add', '--all');
    git('commit', '--quiet', '--allow-empty', '--message', `Release ${tag}`);
    git('tag', tag);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Pack a wheel of any files (packages, `.pth` files, `NAME-VERSION.data/scripts/...`) with
 * Debian's `wheel pack`, into `wheelsDir`: for what `buildWheel` cannot make, such as
 * dependencies (`requires`, PEP 508) or a copy of a system package at another version. A file
 * that starts with `#!` is a script: executable. Returns the wheel's file name.
 */
export function packWheel(wheelsDir: string, name: string, version: string, files: Record<string, string>, requires: string[] = []): string {
  return packTree(wheelsDir, name, version, requires, tree => {
    for (const [path, contents] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), contents, { mode: contents.startsWith('#!') ? 0o755 : 0o644 });
    }
  });
}

/**
 * A wheel of modules Debian installed system-wide (python3-django's `django`...), their files as
 * they are (bytecode left out), named `name` at `version`: Debian's packages stand in for PyPI's,
 * at the version a project pins. `leaveOut`: paths not packed (a folder's whole tree). Returns the wheel's file name.
 */
export function systemPackageWheel(wheelsDir: string, name: string, version: string, modules: string[], options: { requires?: string[]; leaveOut?: RegExp } = {}): string {
  const locate = 'import importlib.util, sys\nfor name in sys.argv[1:]:\n    spec = importlib.util.find_spec(name)\n    print(spec.submodule_search_locations[0] if spec.submodule_search_locations else spec.origin)';
  const paths = runTool(python, ['-I', '-c', locate, ...modules]).trim().split('\n');
  return packTree(wheelsDir, name, version, options.requires ?? [], tree => {
    for (const path of paths) cpSync(path, join(tree, basename(path)), { recursive: true, filter: source => basename(source) !== '__pycache__' && !options.leaveOut?.test(source) });
  });
}

/** Pack the tree `fill` writes, with the metadata of `name` `version` and its `requires`, as a wheel in `wheelsDir`. */
function packTree(wheelsDir: string, name: string, version: string, requires: string[], fill: (tree: string) => void): string {
  const work = mkdtempSync(join(tmpdir(), 'pyrepo-wheel-'));
  try {
    const distribution = name.replace(/[-_.]+/g, '_');
    const tree = join(work, `${distribution}-${version}`);
    const info = join(tree, `${distribution}-${version}.dist-info`);
    mkdirSync(info, { recursive: true });
    fill(tree);
    writeFileSync(join(info, 'METADATA'), ['Metadata-Version: 2.1', `Name: ${name}`, `Version: ${version}`, ...requires.map(requirement => `Requires-Dist: ${requirement}`), ''].join('\n'));
    writeFileSync(join(info, 'WHEEL'), 'Wheel-Version: 1.0\nGenerator: pyrepo-testing\nRoot-Is-Purelib: true\nTag: py3-none-any\n');
    mkdirSync(wheelsDir, { recursive: true });
    runTool(python, ['-m', 'wheel', 'pack', '--dest-dir', wheelsDir, tree]);
    return `${distribution}-${version}-py3-none-any.whl`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
