import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
 * Pack a wheel of any files (packages, `.pth` files...) with Debian's `wheel pack`, into
 * `wheelsDir`: for what `buildWheel` cannot make, such as dependencies (`requires`, PEP 508) or a
 * copy of a system package at another version. Returns the wheel's file name.
 */
export function packWheel(wheelsDir: string, name: string, version: string, files: Record<string, string>, requires: string[] = []): string {
  const work = mkdtempSync(join(tmpdir(), 'pyrepo-wheel-'));
  try {
    const distribution = name.replace(/[-_.]+/g, '_');
    const tree = join(work, `${distribution}-${version}`);
    const info = join(tree, `${distribution}-${version}.dist-info`);
    mkdirSync(info, { recursive: true });
    for (const [path, contents] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), contents);
    }
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
