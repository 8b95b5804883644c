import { PyrepoGenerator } from '@pyrepo/core';
import type { Options } from './options.js';
import { requirementsFor, tools } from './tools.js';

/** Configures the project's tools in pyproject.toml and installs them in CI. */
export default class PyprojectGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const selected = this.props.tools;
    this.mergePyproject({ tool: Object.assign({}, ...selected.map(tool => tools[tool].config(this.project, this.props))) });
    this.addRequirements('ci', requirementsFor(selected, this.project.python));
    this.addIgnoreLines('.gitignore', selected.flatMap(tool => tools[tool].ignore));
    if (selected.length > 0) this.addReadmeSection({ id: 'tooling', title: 'Tests and linters', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
