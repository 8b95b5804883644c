import { PyrepoGenerator, pin, sourceRoot, vendorDir, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'setup.py.ejs' }, { template: 'MANIFEST.in.ejs' }];

/** Files a release needs at run time, included when the repository has them. */
const runtimeFiles = ['uwsgi.ini'];

/** setup.py and MANIFEST.in for the project's framework. */
export default class SetuptoolsGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const distribution = this.frameworkRuntime().distribution(this.project);
    // What other generators wrote in this run, or an earlier one, is in the in-memory file system.
    const has = (path: string) => this.fs.exists(this.destinationPath(path));
    const layout = this.requirementsSpec();
    this.renderFiles(files, {
      distribution,
      root: sourceRoot(this.project),
      includes: runtimeFiles.filter(has),
      vendored: has('scripts/vendor.sh') ? vendorDir : undefined,
      requirementsFiles: layout.files.map(file => file.path),
      installRequires: this.requirementsFile('base'),
      testsRequire: this.requirementsFile('ci'),
      // Production-only requirements (the application server) as an extra, where the layout keeps them apart.
      prodRequire: this.requirementsFile('prod') !== this.requirementsFile('base') ? this.requirementsFile('prod') : undefined,
    });
    this.addRequirements('ci', [pin('build', this.project.python)]);
    this.addIgnoreLines('.gitignore', ['*.egg-info/', '/dist/', '/build/']);
    this.addReadmeSection({ id: 'setuptools', title: 'Build a release', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
