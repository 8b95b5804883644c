import { readdirSync } from 'node:fs';
import { basename, sep } from 'node:path';
import { PyrepoGenerator, UsageError, declaredBuild, pin, setuptoolsBackends, sourceRoot, vendorDir, type Distribution, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'setup.py.ejs' }, { template: 'MANIFEST.in.ejs' }];

/** A MANIFEST.in file-name pattern (fnmatch: `*`, `?`, `[...]`) as a regular expression. */
function fnmatch(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.').replaceAll('[!', '[^');
  return new RegExp(`^${source}$`);
}

/** Files a release needs at run time, included when the repository has them. */
const runtimeFiles = ['uwsgi.ini'];

/** setup.py and MANIFEST.in for the project's framework. */
export default class SetuptoolsGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.#refuseOtherBuild();
    const root = sourceRoot(this.project);
    // What other generators wrote in this run, or an earlier one, is in the in-memory file system:
    // setup.py and MANIFEST.in name only what is there.
    const has = (path: string) => this.repositoryHas(path);
    const distribution = this.#existing(this.frameworkRuntime().distribution(this.project), root);
    const layout = this.requirementsSpec();
    // First, so that the requirements files it creates are among those MANIFEST.in includes.
    this.addRequirements('ci', [pin('build', this.project.python)]);
    this.renderFiles(files, {
      distribution,
      root,
      includes: runtimeFiles.filter(has),
      vendored: has('scripts/vendor.sh') ? vendorDir : undefined,
      // Vendored dependencies are installed (compiled) for the build's Python minor version only.
      pythonRequires: has('scripts/vendor.sh') ? `==${this.project.python}.*` : `>=${this.project.python}`,
      requirementsFiles: layout.files.map(file => file.path).filter(has),
      installRequires: this.requirementsFile('base'),
      testsRequire: this.requirementsFile('ci'),
      // Production-only requirements (the application server) as an extra, where the layout keeps them apart.
      prodRequire: this.requirementsFile('prod') !== this.requirementsFile('base') && has(this.requirementsFile('prod')) ? this.requirementsFile('prod') : undefined,
    });
    // setup.py reads its version from the git tag with setuptools-scm: python -m build installs it.
    this.mergePyproject({ 'build-system': { requires: ['setuptools>=61', 'setuptools-scm>=7'], 'build-backend': 'setuptools.build_meta' } });
    this.addIgnoreLines('.gitignore', ['*.egg-info/', '/dist/', '/build/']);
    this.addReadmeSection({ id: 'setuptools', title: 'Build a release', body: this.renderFragment('readme.md.ejs') });
  }

  /**
   * A project pyproject.toml already builds (its `[project]` table, or another backend) gets no
   * setup.py: the backend would ignore it and MANIFEST.in, or read metadata that contradicts it.
   */
  #refuseOtherBuild(): void {
    const path = this.destinationPath('pyproject.toml');
    const build = declaredBuild(this.fs.exists(path) ? this.fs.read(path) : undefined);
    const keep = 'leave setuptools out of this run and build with what pyproject.toml declares (python -m build --sdist)';
    if (build.backend !== undefined && !setuptoolsBackends.has(build.backend)) {
      const what = build.inTree ? `an in-tree backend, ${build.backend} (build-backend with backend-path)` : build.backend;
      throw new UsageError({
        message: `Generator setuptools: pyproject.toml builds this project with ${what} ([build-system] build-backend); setup.py and MANIFEST.in would be ignored by it, and their metadata would contradict its own.`,
        fix: `${keep}; to move the project to setuptools, remove [build-system] and the backend's tables from pyproject.toml first, then run again.`,
      });
    }
    if (build.project) {
      throw new UsageError({
        message: `Generator setuptools: pyproject.toml declares the project in its [project] table (built by ${build.backend ?? 'setuptools, the default backend'}); a setup.py would declare its name, version and dependencies a second time, and contradict them.`,
        fix: `${keep}; MANIFEST.in and package data can be set in [tool.setuptools] by hand. To use pyrepo's setup.py instead, remove the [project] table first, then run again.`,
      });
    }
  }

  /** The framework's distribution, without the modules, scripts and manifest lines the repository does not have. */
  #existing(distribution: Distribution, root: string): Distribution {
    const inRoot = (path: string) => (root === '.' ? path : `${root}/${path}`);
    const modules = distribution.modules.filter(module => this.repositoryHas(inRoot(`${module}.py`)));
    const scripts = distribution.scripts.filter(script => this.repositoryHas(script));
    const consoleScripts = distribution.consoleScripts.filter(entry => {
      const module = /=\s*([\w.]+):/.exec(entry)?.[1] ?? '';
      return this.repositoryHas(inRoot(`${module.replaceAll('.', '/')}.py`));
    });
    // MANIFEST.in lines are `command path [patterns]`: kept when the path is there, and a
    // recursive-include with the patterns some file matches (setuptools warns about the others).
    const manifest = distribution.manifest.flatMap(line => {
      const [command = '', path = '', ...patterns] = line.split(/\s+/);
      if (!this.repositoryHas(path)) return [];
      if (command !== 'recursive-include') return [line];
      const names = this.#fileNamesUnder(path);
      const matched = patterns.filter(pattern => names.some(name => fnmatch(pattern).test(name)));
      return matched.length > 0 ? [[command, path, ...matched].join(' ')] : [];
    });
    const packages = distribution.packages || (modules.length === 0 && this.#hasPackage(root));
    if (modules.length === 0 && !packages) {
      throw new UsageError({
        message: `Generator setuptools: the repository has none of the code a ${this.project.framework} release is built from (looked for ${distribution.modules.map(module => inRoot(`${module}.py`)).join(', ') || 'a module'} and for packages in ${root === '.' ? 'the repository root' : `${root}/`}), so the source archive would hold no code.`,
        fix: 'add the application code first (or add its framework generator in the same run), then run again.',
      });
    }
    return { ...distribution, modules, scripts, consoleScripts, manifest, packages };
  }

  /** Whether the source root holds a package (a folder with __init__.py) this run or the repository has. */
  #hasPackage(root: string): boolean {
    const prefix = root === '.' ? '' : `${root}/`;
    return [this.project.package, ...this.#topFolders(root)].some(folder => this.repositoryHas(`${prefix}${folder}/__init__.py`));
  }

  /** The names of the files under a folder, in the repository or written by this run. */
  #fileNamesUnder(folder: string): string[] {
    const target = this.destinationPath(folder);
    const written = this.env.sharedFs.all().filter(file => file.contents !== null && file.path.startsWith(`${target}${sep}`)).map(file => basename(file.path));
    let onDisk: string[] = [];
    try {
      onDisk = readdirSync(target, { recursive: true, withFileTypes: true }).filter(entry => entry.isFile()).map(entry => entry.name);
    } catch {
      // Not on disk yet: only this run's files.
    }
    return [...written, ...onDisk];
  }

  #topFolders(root: string): string[] {
    try {
      return readdirSync(this.destinationPath(root), { withFileTypes: true }).filter(entry => entry.isDirectory()).map(entry => entry.name);
    } catch {
      return [];
    }
  }
}

export type { Options };
