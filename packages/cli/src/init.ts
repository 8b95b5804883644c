import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { UsageError, candidatePackages, coreVersion, shortName, type PluginKind, type Registry } from '@pyrepo/core/host';

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
  const extendsPreset = request.extendsPreset ?? 'wpmedia-django';
  if (request.kind === 'preset' && !registry.findPreset(extendsPreset)) {
    throw new UsageError(registry.unknown('preset', extendsPreset, ' (--extends)'));
  }
  const data = {
    packageName,
    shortName: short,
    bareName: basename(short),
    description: request.description ?? (request.kind === 'preset' ? `A pyrepo preset built on ${extendsPreset}` : `A pyrepo generator`),
    extendsPreset,
    coreRange: `^${coreVersion}`,
  };
  if (/["\\\n]|\*\//.test(data.description)) {
    throw new UsageError({ message: 'The description holds a quote, a backslash or a line break.', fix: 'pass --description as one line of plain text.' });
  }
  const source = join(templatesRoot, request.kind);
  const files = templateFiles(source).map(file => ({ path: file.replace(/\.ejs$/, ''), contents: ejs.render(readFileSync(join(source, file), 'utf8'), data, { escape: String }) }));
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
