import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { python, runTool } from './checks.js';

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
