import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { ContextKey, Framework } from './context.js';
import { isPlainObject } from './json.js';
import { readRegularFile } from './regular-file.js';
import { requirementName, requirementsLayouts } from './requirements.js';
import { detectRequirements } from './requirements-detect.js';

/** A regular file's text (never through a link, a device or a FIFO; bounded), or undefined. */
function readText(path: string): string | undefined {
  try {
    return readRegularFile(path, path)?.contents.toString('utf8');
  } catch {
    return undefined;
  }
}

const frameworks: Framework[] = ['django', 'flask', 'fastapi', 'tornado'];

/**
 * Project facts found in an existing repository (pyproject.toml, setup.py, manage.py,
 * .python-version, requirements files, a venv). Best effort: what cannot be read is skipped.
 */
export function detectProject(dir: string): Partial<Record<ContextKey, unknown>> {
  const found: Partial<Record<ContextKey, unknown>> = {};
  const pyproject = readText(join(dir, 'pyproject.toml'));
  if (pyproject !== undefined) {
    try {
      const project = (parse(pyproject) as { project?: unknown }).project;
      if (isPlainObject(project)) {
        if (typeof project.name === 'string') found.name = project.name;
        const python = /^\s*>=\s*3\.(\d+)/.exec(String(project['requires-python'] ?? ''));
        if (python) found.python = `3.${python[1]}`;
      }
    } catch {
      // An invalid pyproject.toml is reported when a generator merges into it.
    }
  }
  if (found.name === undefined) {
    const setupName = /\bname\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(readText(join(dir, 'setup.py')) ?? '');
    if (setupName) found.name = setupName[1];
  }
  const pythonVersion = /^\s*3\.(\d+)/.exec(readText(join(dir, '.python-version')) ?? '');
  if (found.python === undefined && pythonVersion) found.python = `3.${pythonVersion[1]}`;

  const managePy = readText(join(dir, 'manage.py'));
  if (managePy !== undefined) {
    found.framework = 'django';
    const settings = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][A-Za-z0-9_]*)\./.exec(managePy);
    if (settings) found.package = settings[1];
  }

  for (const [layout, spec] of Object.entries(requirementsLayouts)) {
    const texts = spec.files.map(file => readText(join(dir, file.path)));
    // A layout is recognised by its first file (requirements/base.txt, requirements-app.txt, requirements.txt).
    if (texts[0] === undefined) continue;
    found.layout = layout;
    if (found.framework === undefined) {
      const names = new Set(texts.flatMap(text => (text ?? '').split('\n').map(requirementName)));
      found.framework = frameworks.find(framework => names.has(framework));
    }
    break;
  }

  // Where the repository declares its dependencies, when it is not in one of pyrepo's layouts.
  const requirements = detectRequirements(dir);
  if (requirements.prod) found.prodRequirements = requirements.prod.path;
  if (requirements.dev) found.devRequirements = requirements.dev.path;
  if (found.framework === undefined && requirements.frameworks.length === 1) found.framework = requirements.frameworks[0];

  for (const venv of ['.venv', 'venv', 'env']) {
    if (existsSync(join(dir, venv, 'pyvenv.cfg'))) {
      found.venvDir = venv;
      break;
    }
  }
  for (const key of Object.keys(found) as ContextKey[]) if (found[key] === undefined) delete found[key];
  return found;
}
