import { PyrepoGenerator, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'Jenkinsfile.ejs' }];

/** Build stages, each when the repository has what it runs; their artifacts are archived. */
const builds = [
  { file: 'scripts/vendor.sh', stage: 'Vendor', command: 'PYTHON=.ci-venv/bin/python scripts/vendor.sh' },
  { file: 'setup.py', stage: 'Build', command: 'rm -rf dist && .ci-venv/bin/python -m build --sdist', artifacts: 'dist/*.tar.gz' },
  { file: 'scripts/build-pyz.sh', stage: 'Zipapp', command: 'PYTHON=.ci-venv/bin/python scripts/build-pyz.sh', artifacts: 'dist/*.pyz' },
];

/** The release pipeline. */
export default class JenkinsGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    // Stages follow what the repository has (written by other generators in this run or before).
    const has = (path: string) => this.fs.exists(this.destinationPath(path));
    const stages = builds.filter(build => has(build.file));
    const artifacts = stages.flatMap(stage => stage.artifacts ?? []).join(', ');
    this.renderFiles(files, { stages, artifacts });
    this.addIgnoreLines('.gitignore', ['/.ci-venv/']);
    this.addReadmeSection({ id: 'jenkins', title: 'Release pipeline', body: this.renderFragment('readme.md.ejs', { stages, artifacts }) });
  }
}

export type { Options };
