import { PyrepoGenerator, describePlace, isDeclaredSpec, requirementRoles, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/freeze-requirements.sh.ejs', executable: true, when: data => data.project.layout === 'app-dev-frozen' && data.project.prodRequirements === undefined }];

/** Owns the requirements files: creates the layout's files with their `-r` chain, then adds the given requirements by role. */
export default class RequirementsGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.ensureRequirementsFiles();
    this.renderFiles(files);
    for (const role of requirementRoles) this.addRequirements(role, this.props[role]);
    // A repository that declares its own dependencies: where each role is, and what to regenerate after a change.
    const spec = this.requirementsSpec();
    const declared = isDeclaredSpec(spec)
      ? { prod: describePlace(spec, 'prod'), base: describePlace(spec, 'base'), dev: spec.tables.dev || this.fs.exists(this.destinationPath(spec.roles.dev)) ? describePlace(spec, 'dev') : undefined, ships: spec.ships, locks: spec.locks }
      : undefined;
    this.addReadmeSection({ id: 'requirements', title: 'Dependencies', body: this.renderFragment('readme.md.ejs', { declared }) });
  }
}

export type { Options };
