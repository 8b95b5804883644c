import { PyrepoGenerator, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'Jenkinsfile.ejs' }];

/** The release pipeline. */
export default class JenkinsGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    // Stages follow what the repository has (written by other generators in this run or before).
    const has = (path: string) => this.fs.exists(this.destinationPath(path));
    const stages = { vendors: has('scripts/vendor.sh'), sdist: has('setup.py') || has('pyproject.toml') };
    this.renderFiles(files, stages);
    this.addIgnoreLines('.gitignore', ['/.ci-venv/']);
    this.addReadmeSection({ id: 'jenkins', title: 'Release pipeline', body: this.renderFragment('readme.md.ejs', stages) });
  }
}

export type { Options };
