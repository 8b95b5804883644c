import { posix } from 'node:path';
import type { RequirementsLayout } from './context.js';
import { normalizeName } from './context.js';
import { PyrepoError } from './errors.js';

/** Who needs a dependency: every context, CI, developers, or production only. */
export type RequirementRole = 'base' | 'ci' | 'dev' | 'prod';
export const requirementRoles: readonly RequirementRole[] = ['base', 'ci', 'dev', 'prod'];

export interface RequirementsFileSpec {
  /** Path from the repository root. */
  path: string;
  /** What the file is for: its first comment line. */
  purpose: string;
  /** Files it includes with `-r`, relative to its own folder. */
  includes: string[];
}

export interface LayoutSpec {
  files: RequirementsFileSpec[];
  /** The file each role's requirements go to. */
  roles: Record<RequirementRole, string>;
  /** The file a release installs or vendors: the frozen lock where there is one, else the production file. */
  ships: string;
}

/** The three requirements layouts pyrepo writes, as data. */
export const requirementsLayouts: Record<RequirementsLayout, LayoutSpec> = {
  layered: {
    files: [
      { path: 'requirements/base.txt', purpose: 'Dependencies needed in every context.', includes: [] },
      { path: 'requirements/ci.txt', purpose: 'Dependencies CI needs on top of base.txt: test runners, linters.', includes: ['base.txt'] },
      { path: 'requirements/dev.txt', purpose: 'Dependencies developers need on top of ci.txt.', includes: ['ci.txt'] },
      { path: 'requirements/prod.txt', purpose: 'Dependencies production needs on top of base.txt: the application server.', includes: ['base.txt'] },
    ],
    roles: { base: 'requirements/base.txt', ci: 'requirements/ci.txt', dev: 'requirements/dev.txt', prod: 'requirements/prod.txt' },
    ships: 'requirements/prod.txt',
  },
  'app-dev-frozen': {
    files: [
      { path: 'requirements-app.txt', purpose: "The application's own dependencies, loosely pinned.", includes: [] },
      { path: 'requirements-dev.txt', purpose: 'What developers and CI need on top of the app: tests, linters, build tools.', includes: ['requirements-app.txt'] },
      {
        path: 'requirements.txt',
        purpose: 'Frozen lock of requirements-app.txt: regenerate with `pip freeze` in a clean venv after `pip install -r requirements-app.txt`.',
        includes: [],
      },
    ],
    roles: { base: 'requirements-app.txt', prod: 'requirements-app.txt', ci: 'requirements-dev.txt', dev: 'requirements-dev.txt' },
    ships: 'requirements.txt',
  },
  // One production file, as the pip + venv guide has it; development tools never go where
  // production installs (the image's /opt/venv, the server's venv), so they get a file of their own.
  single: {
    files: [
      { path: 'requirements.txt', purpose: 'Dependencies of the project: what production installs.', includes: [] },
      { path: 'requirements-dev.txt', purpose: 'What developers and CI need on top: tests, linters, build tools.', includes: ['requirements.txt'] },
    ],
    roles: { base: 'requirements.txt', ci: 'requirements-dev.txt', dev: 'requirements-dev.txt', prod: 'requirements.txt' },
    ships: 'requirements.txt',
  },
};

/** Whether pip can install a declaration with `pip install -r`: a requirements file (pip-tools' .in is one too), not a TOML table or a lock of another tool. */
export function isRequirementsFile(path: string): boolean {
  return /\.(txt|in)$/.test(path);
}

/** The names a requirements file has at a repository's root: requirements.txt, requirements-dev.in, test_requirements.txt. */
export const requirementsFileName = /^(requirements([-_.][\w.-]+)?|[\w-]+[-_]requirements)\.(txt|in)$/;

/** Whether a repository path is a requirements file by its name: one named like one, or any .txt/.in in a `requirements/` folder. */
export function isRequirementsPath(path: string): boolean {
  const parts = path.split('/');
  return requirementsFileName.test(parts[parts.length - 1]!) || (parts[parts.length - 2] === 'requirements' && isRequirementsFile(path));
}

/** A requirements line split into what pip reads and its comment (from the spaces before `#`), as pip splits them. */
export function splitComment(line: string): { text: string; comment: string } {
  const match = /(^|\s)#/.exec(line);
  if (!match) return { text: line, comment: '' };
  const text = line.slice(0, match.index).trimEnd();
  return { text, comment: line.slice(text.length) };
}

/** The PEP 503-normalized project name a requirements line asks for, if it names one. */
export function requirementName(line: string): string | undefined {
  const text = splitComment(line).text.trim();
  if (text === '' || text.startsWith('-')) return undefined;
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?=$|[\s[<>=!~;@(])/.exec(text);
  return match ? normalizeName(match[1]!) : undefined;
}

/** Files a requirements file includes with `-r`/`--requirement`, as written. */
export function includedFiles(text: string): string[] {
  const files: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(\S+)/.exec(line);
    if (match) files.push(match[1]!);
  }
  return files;
}

/** The line that marks a requirements file as pyrepo's (its single layout is recognised by it). */
export const pyrepoMarker = 'Managed by pyrepo (requirements)';

/** The first lines of a requirements file pyrepo creates. */
export function renderRequirementsFile(spec: RequirementsFileSpec): string {
  const lines = [
    `# ${spec.purpose}`,
    `# ${pyrepoMarker}: add your own lines anywhere; re-runs only append what is missing.`,
    ...spec.includes.map(file => `-r ${file}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Read access to the repository being generated (the in-memory file system during a run). */
export interface FileReader {
  read(path: string): string | undefined;
}

/** Names a requirements file provides, following its `-r` includes (each file once). */
export function providedNames(files: FileReader, path: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(path)) return names;
  seen.add(path);
  const text = files.read(path);
  if (text === undefined) return names;
  for (const line of text.split('\n')) {
    const name = requirementName(line);
    if (name) names.add(name);
  }
  for (const include of includedFiles(text)) {
    const included = posix.normalize(posix.join(posix.dirname(path), include));
    if (posix.isAbsolute(include) || included === '..' || included.startsWith('../')) {
      throw new PyrepoError(
        `${path} includes ${include} (-r), which is outside the repository: pyrepo reads only the repository's own files. Move the included file into the repository (or add the requirements by hand), then run again. Nothing was written.`,
        1,
      );
    }
    for (const name of providedNames(files, included, seen)) names.add(name);
  }
  return names;
}

/** A compiled or exported requirements file (pip-compile, uv export, poetry export): a lock, never a declaration. */
export function isGeneratedLock(text: string): boolean {
  const header = text.split('\n').slice(0, 8).join('\n');
  return /autogenerated by (pip-compile|uv)|generated by (pip-compile|uv|poetry)|uv export|poetry export|pip freeze/i.test(header);
}

/** The files a requirements file reaches through `-r` (itself included), inside the repository only. */
export function closureOf(path: string, read: (path: string) => string | undefined, seen = new Set<string>()): Set<string> {
  if (seen.has(path)) return seen;
  seen.add(path);
  for (const include of includedFiles(read(path) ?? '')) {
    const included = posix.normalize(posix.join(posix.dirname(path), include));
    if (posix.isAbsolute(include) || included === '..' || included.startsWith('../')) continue; // outside the repository: never read
    closureOf(included, read, seen);
  }
  return seen;
}

/** The requirements whose project is not among the names provided (nor earlier in the list). */
export function missingRequirements(specs: readonly string[], provided: ReadonlySet<string>): string[] {
  const names = new Set(provided);
  return specs.filter(spec => {
    const name = requirementName(spec);
    if (name === undefined || names.has(name)) return false;
    names.add(name);
    return true;
  });
}

/** Append the requirements whose project is not yet provided; everything already there stays as written. */
export function appendRequirements(text: string, specs: readonly string[], provided: ReadonlySet<string>): string {
  const missing = missingRequirements(specs, provided);
  if (missing.length === 0) return text;
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${base}${missing.join('\n')}\n`;
}
