import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
 * Commit everything in `dir` (making it a git repository first if it is none), as a developer
 * commits a change. Git sees no configuration of this machine (gitEnvironment) and a fixed identity.
 */
export function commitAll(dir: string, message: string): void {
  gitWithIdentity(dir, git => commitEverything(dir, git, message));
}

/**
 * Commit everything in `dir` (see commitAll) and tag the commit, as a release is tagged
 * (`v1.0.0`): setuptools-scm, or a release script's `git describe`, reads the version from it.
 */
export function tagRelease(dir: string, tag: string): void {
  gitWithIdentity(dir, git => {
    commitEverything(dir, git, `Release ${tag}`);
    git('tag', tag);
  });
}

function commitEverything(dir: string, git: (...args: string[]) => string, message: string): void {
  if (!existsSync(join(dir, '.git'))) git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('commit', '--quiet', '--allow-empty', '--message', message);
}

function gitWithIdentity(dir: string, use: (git: (...args: string[]) => string) => void): void {
  const home = mkdtempSync(join(tmpdir(), 'pyrepo-git-home-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [name, value] of Object.entries(gitEnvironment(home, { name: 'Release Test', email: 'release@example.com' }))) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    use((...args: string[]) => runTool('git', args, { cwd: dir, env }));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A package index on this machine (a stand-in for PyPI or a team's index) and what pip asked it. */
export interface PackageIndex {
  /** The index's address for pip's index-url: http://127.0.0.1:<port>/simple (pip trusts 127.0.0.1 over http). */
  url: string;
  /** The paths requested, in order (/simple/tornado/, /files/tornado-6.2-py3-none-any.whl). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serve the wheels of `wheelsDir` as a PEP 503 simple index, so pip installs through its
 * configured index-url (pip.conf) rather than from a folder: /simple/<project>/ lists the files of
 * that project (names normalized as PEP 503 says), each served under /files/.
 */
export async function servePackageIndex(wheelsDir: string): Promise<PackageIndex> {
  const normalized = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://index').pathname);
    requests.push(path);
    const project = /^\/simple\/([^/]+)\/?$/.exec(path)?.[1];
    const file = /^\/files\/([^/]+\.whl)$/.exec(path)?.[1];
    if (project) {
      const links = readdirSync(wheelsDir)
        .filter(name => name.endsWith('.whl') && normalized(name.split('-')[0]!) === normalized(project))
        .map(name => `<a href="/files/${encodeURIComponent(name)}">${name}</a>`);
      response.statusCode = links.length > 0 ? 200 : 404;
      response.setHeader('Content-Type', 'text/html');
      response.end(`<!DOCTYPE html>\n<html><body>\n${links.join('<br>\n')}\n</body></html>\n`);
    } else if (file && existsSync(join(wheelsDir, file))) {
      response.setHeader('Content-Type', 'application/octet-stream');
      response.end(readFileSync(join(wheelsDir, file)));
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple`,
    requests,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
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

/**
 * The wheels a generated Django application's production requirements install, made here (no
 * PyPI): Django (requirements/base.txt's pin) with its dependencies and dj-database-url
 * (requirements/prod.txt's) from Debian's packages, and a stand-in for uWSGI at prod.txt's pin.
 * `read` gives a file of the repository. Returns `wheelsDir`.
 */
export function djangoProductionWheels(wheelsDir: string, read: (path: string) => string): string {
  const pin = (file: string, name: string) => new RegExp(`^${name}\\s*(?:==|~=)\\s*(\\S+)$`, 'im').exec(read(file))![1]!;
  const debian = (module: string) => runTool(python, ['-I', '-c', `import importlib.metadata; print(importlib.metadata.version(${JSON.stringify(module)}))`]).trim();
  // Django's translations but English are left out: the application speaks en-us, and they are three files in four.
  systemPackageWheel(wheelsDir, 'Django', pin('requirements/base.txt', 'Django'), ['django'], { requires: ['asgiref', 'sqlparse', 'pytz'], leaveOut: /\/locale\/(?!en$|__init__\.py$)[^/]+$/ });
  for (const module of ['asgiref', 'sqlparse', 'pytz']) systemPackageWheel(wheelsDir, module, debian(module), [module]);
  systemPackageWheel(wheelsDir, 'dj-database-url', pin('requirements/prod.txt', 'dj-database-url'), ['dj_database_url']);
  // uWSGI's wheel puts its binary in the venv, where Python finds the venv from the binary's path;
  // Debian's binary lives in /usr/bin, so its stand-in names the venv it was installed into.
  const uwsgi = pin('requirements/prod.txt', 'uWSGI');
  packWheel(wheelsDir, 'uWSGI', uwsgi, { [`uWSGI-${uwsgi}.data/scripts/uwsgi`]: '#!/bin/sh\nexec /usr/bin/uwsgi --plugins python3,http --home "${0%/bin/uwsgi}" "$@"\n' });
  return wheelsDir;
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

/**
 * A stand-in for shiv, which is not installable here (neither Debian nor this machine has it),
 * written into `dir` as the package `shiv`: put `dir` on PYTHONPATH and `python -m shiv` takes
 * the options a build script gives shiv (--compressed, --python, --entry-point, --output-file,
 * then pip's arguments) and does what shiv does with them: pip installs the arguments into a
 * folder (offline under offlinePip), and that folder becomes a zipapp with the interpreter line
 * and a `__main__` that calls the entry point. Unlike shiv's, the zipapp imports from itself
 * instead of unpacking into SHIV_ROOT first. Returns `dir`.
 */
export function shivStandIn(dir: string): string {
  mkdirSync(join(dir, 'shiv'), { recursive: true });
  writeFileSync(join(dir, 'shiv', '__init__.py'), '');
  writeFileSync(
    join(dir, 'shiv', '__main__.py'),
    [
      'import argparse, os, subprocess, sys, tempfile, zipapp',
      'parser = argparse.ArgumentParser(prog="shiv")',
      'parser.add_argument("--compressed", action="store_true")',
      'parser.add_argument("--python", required=True)',
      'parser.add_argument("--entry-point", required=True)',
      'parser.add_argument("--output-file", required=True)',
      'options, pip_arguments = parser.parse_known_args()',
      'module, function = options.entry_point.split(":")',
      'with tempfile.TemporaryDirectory() as site:',
      '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", site, *pip_arguments], check=True)',
      '    with open(os.path.join(site, "__main__.py"), "w") as main:',
      '        main.write(f"import sys\\nfrom {module} import {function}\\nsys.exit({function}())\\n")',
      '    zipapp.create_archive(site, options.output_file, interpreter=options.python, compressed=options.compressed)',
      '',
    ].join('\n'),
  );
  return dir;
}
