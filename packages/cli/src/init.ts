import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { UsageError, candidatePackages, coreVersion, isPathRef, shellCommand, shortName, unsafeTextCharacter, type PluginKind, type Registry } from '@pyrepo/core/host';

export interface InitRequest {
  kind: PluginKind;
  /** `web`, `@acme/web`, or a full package name (`@acme/pyrepo-preset-web`). */
  name: string;
  /** Folder to create; default: the package's name without its scope, in `cwd`. */
  dir?: string;
  description?: string;
  /** For a preset: the preset it builds on. */
  extendsPreset?: string;
  cwd: string;
}

// npm's rules for a package name: lower case, URL-safe, at most 214 characters.
const packageNamePattern = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** init/<kind>/: the package a team starts from, as EJS templates (`.ejs` is dropped from each name). */
const templatesRoot = fileURLToPath(new URL('../../init/', import.meta.url));

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Free text for the package's files: one line, no controls or format characters, at most 200 characters. */
function checkText(value: string, flag: string, what: string): void {
  if (value.trim() === '' || value.length > 200 || unsafeTextCharacter.test(value)) {
    throw new UsageError({
      message: `The ${flag} value ${JSON.stringify(value.slice(0, 80))}${value.length > 80 ? '...' : ''} is empty, longer than 200 characters, or holds a line break, a control or a format character (such as a bidirectional override).`,
      fix: `pass ${flag} as ${what}: one line of at most 200 printable characters.`,
    });
  }
}

/** `target` as a path from `from`, starting with ./ or ../ so that it reads as a path. */
function relativeRef(from: string, target: string): string {
  const path = relative(from, target).split(sep).join('/');
  return path.startsWith('../') ? path : `./${path}`;
}

/**
 * Render a template of the package. In a JSON file each `<%= %>` value is JSON-escaped (every
 * value there sits in a string) and the result must parse: a value cannot end its string or add keys.
 */
function render(template: string, data: object, path: string): string {
  if (!path.endsWith('.json')) return ejs.render(template, data, { escape: String });
  const contents = ejs.render(template, data, { escape: (value: unknown) => JSON.stringify(String(value)).slice(1, -1) });
  JSON.parse(contents);
  return contents;
}

/**
 * Scaffold a publishable preset or generator package: package.json (pyrepo kind, peer dependency on
 * this core's range, files, exports), the preset or the schema, generator and template, a README
 * with the publish steps, and a test that passes with @pyrepo/testing. Writes nothing on bad input.
 */
export function initPackage(request: InitRequest, registry: Registry): { dir: string; packageName: string; shortName: string; files: string[] } {
  const packageName = candidatePackages(request.name, request.kind)[0]!;
  if (!packageNamePattern.test(packageName) || packageName.length > 214) {
    throw new UsageError({
      message: `"${request.name}" does not make an npm package name (${packageName}).`,
      fix: `use lower-case letters, digits, "-", "." and "_", with an optional @scope/: for example ${request.kind === 'preset' ? '@acme/web' : '@acme/sentry'}.`,
    });
  }
  const short = shortName(packageName, request.kind);
  const dir = resolve(request.cwd, request.dir ?? basename(packageName));
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError({ message: `${dir} already exists and is not empty.`, fix: 'choose another folder with --dir, or remove that one.' });
  }
  const given = request.extendsPreset ?? 'wpmedia-django';
  if (request.kind === 'preset') checkText(given, '--extends', 'a preset name, npm package or path');
  if (request.kind === 'preset' && !registry.findPreset(given)) {
    throw new UsageError(registry.unknown('preset', given, ' (--extends)'));
  }
  const description = request.description ?? (request.kind === 'preset' ? `A pyrepo preset built on ${given}` : `A pyrepo generator`);
  checkText(description, '--description', 'one line of text');
  if (description.includes('*/')) throw new UsageError({ message: 'The --description holds "*/", which would end the comment it goes in.', fix: 'pass --description without "*/".' });
  const data = {
    packageName,
    shortName: short,
    bareName: basename(short),
    description,
    // A path is written from the new package's folder, where its preset.json reads it.
    extendsPreset: isPathRef(given) ? relativeRef(dir, resolve(request.cwd, given)) : given,
    coreRange: `^${coreVersion}`,
  };
  const source = join(templatesRoot, request.kind);
  const files = templateFiles(source).map(file => {
    const path = file.replace(/\.ejs$/, '');
    return { path, contents: render(readFileSync(join(source, file), 'utf8'), data, path) };
  });
  const created = !existsSync(dir);
  try {
    for (const file of files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.contents, { flag: 'wx' });
    }
  } catch (error) {
    if (created) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, packageName, shortName: short, files: files.map(file => file.path) };
}

/**
 * The pyrepo clone this CLI runs from, when it does (its @pyrepo/core is a folder of a checkout,
 * not an installed package): there, a new package's npm install cannot fetch @pyrepo/core and
 * @pyrepo/testing before they are published, and links them from the clone instead.
 */
function cloneRoot(): string | undefined {
  const coreDir = dirname(fileURLToPath(import.meta.resolve('@pyrepo/core/package.json')));
  if (coreDir.split(sep).includes('node_modules') || !existsSync(join(coreDir, '..', 'testing', 'package.json'))) return undefined;
  return resolve(coreDir, '..', '..');
}

/** What to do after `pyrepo init`: test the package (from the registry, or from the clone this CLI runs from), publish it, use it. */
export function nextSteps(created: { dir: string; packageName: string; shortName: string }, kind: PluginKind): string {
  const clone = cloneRoot();
  const use = kind === 'preset' ? shellCommand(['pyrepo', 'new', created.shortName, 'my-app']) : shellCommand(['pyrepo', 'add', created.shortName]);
  const lines = ['Next:', `  ${shellCommand(['cd', created.dir])}`, '  npm install && npm test'];
  if (clone) {
    const link = (folder: string) => `(${shellCommand(['cd', join(clone, 'packages', folder)])} && npm link)`;
    lines.push(
      `Until @pyrepo/core is on the npm registry, instead of npm install: link it and @pyrepo/testing from this clone of pyrepo (${clone}):`,
      `  ${link('core')} && ${link('testing')}`,
      '  npm link @pyrepo/core @pyrepo/testing && npm test',
    );
  }
  lines.push('Then publish it, and use it on each machine:', '  npm publish', `  ${shellCommand(['npm', 'install', '--global', created.packageName])}`, `  ${use}`);
  return `${lines.join('\n')}\n`;
}
