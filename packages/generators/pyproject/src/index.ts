import { readdirSync } from 'node:fs';
import { PyrepoGenerator, frameworkRuntimes, sourceRoot, toolConfigFile, toolConfigFiles } from '@pyrepo/core';
import type { Options } from './options.js';
import { requirementsFor, tools, type ToolTargets } from './tools.js';

/** Configures the project's tools in pyproject.toml and installs them in CI. */
export default class PyprojectGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const selected = this.props.tools;
    const read = (path: string) => (this.fs.exists(this.destinationPath(path)) ? this.fs.read(this.destinationPath(path)) : undefined);
    // Each tool reads its settings from one file only: where that is another file than
    // pyproject.toml, a [tool.*] table would be ignored, or take the place of the user's settings.
    const configFiles = Object.fromEntries(selected.map(tool => [tool, toolConfigFile(read, toolConfigFiles[tool]) ?? 'pyproject.toml']));
    const inPyproject = selected.filter(tool => configFiles[tool] === 'pyproject.toml');
    const targets = this.#targets();
    if (inPyproject.length > 0) this.mergePyproject({ tool: Object.assign({}, ...inPyproject.map(tool => tools[tool].config(this.project, this.props, targets))) });
    for (const tool of selected.filter(tool => configFiles[tool] !== 'pyproject.toml')) {
      this.log.info(`pyproject: ${tool} reads its settings from ${configFiles[tool]} (and from no other file): pyrepo left them there as they are and wrote no [tool.${tool}] to pyproject.toml.`);
    }
    this.addRequirements('ci', requirementsFor(selected, this.project.python));
    this.addIgnoreLines('.gitignore', selected.flatMap(tool => tools[tool].ignore));
    if (selected.length > 0) this.addReadmeSection({ id: 'tooling', title: 'Tests and linters', body: this.renderFragment('readme.md.ejs', { configFiles }) });
  }

  /**
   * What the settings name, as the repository has it: its test folders and its code. A repository
   * with no Python code yet (a new one) gets pyrepo's layout: tests/ and the framework's code,
   * which the framework generator writes.
   */
  #targets(): ToolTargets {
    const root = sourceRoot(this.project);
    const inRoot = (path: string) => (root === '.' ? path : `${root}/${path}`);
    const fresh = !this.#hasPythonCode(root);
    const { package: pkg } = this.project;
    const testFolders = ['tests', 'test', `${pkg}/tests`, 'src/tests', `src/${pkg}/tests`];
    const testPaths = this.props.testPaths ?? (fresh ? ['tests'] : testFolders.filter(folder => this.repositoryHas(folder)));
    const distribution = frameworkRuntimes[this.project.framework]?.distribution(this.project);
    const code = distribution && !distribution.packages ? distribution.modules : [pkg];
    const coverageSource = fresh ? code : code.filter(name => this.repositoryHas(inRoot(name)) || this.repositoryHas(inRoot(`${name}.py`)));
    return { testPaths, coverageSource };
  }

  /** Whether the repository had Python code before this run: a module or a package in its source root. */
  #hasPythonCode(root: string): boolean {
    try {
      return readdirSync(this.destinationPath(root), { withFileTypes: true }).some(
        entry => (entry.isFile() && entry.name.endsWith('.py')) || (entry.isDirectory() && this.repositoryHas(`${root}/${entry.name}/__init__.py`)),
      );
    } catch {
      return false;
    }
  }
}

export type { Options };
