import { PyrepoGenerator, requirementRoles, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/freeze-requirements.sh.ejs', executable: true, when: data => data.project.layout === 'app-dev-frozen' }];

/** Owns the requirements files: creates the layout's files with their `-r` chain, then adds the given requirements by role. */
export default class RequirementsGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.ensureRequirementsFiles();
    this.renderFiles(files);
    for (const role of requirementRoles) this.addRequirements(role, this.props[role]);
    this.addReadmeSection({ id: 'requirements', title: 'Dependencies', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
