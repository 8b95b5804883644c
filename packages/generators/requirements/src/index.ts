import { PyrepoGenerator, requirementRoles } from '@pyrepo/core';
import type { Options } from './options.js';

/** Owns the requirements files: creates the layout's files with their `-r` chain, then adds the given requirements by role. */
export default class RequirementsGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.ensureRequirementsFiles();
    for (const role of requirementRoles) this.addRequirements(role, this.props[role]);
    this.addReadmeSection({ id: 'requirements', title: 'Dependencies', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
