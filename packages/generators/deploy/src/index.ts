import { PyrepoGenerator, releaseLayout, systemPython, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [
  { template: 'scripts/deploy.sh.ejs', executable: true },
  // A venv release is the tagged commit's files: this script archives them, named after the tag.
  { template: 'scripts/release-archive.sh.ejs', executable: true, when: data => data.options.release === 'venv' },
];

/** The deploy script. */
export default class DeployGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const release = releaseLayout(this.project);
    // Probed on the server after each restart: the application's health endpoint on its port.
    const healthUrl = `http://127.0.0.1:${this.project.port}/healthz`;
    // --release venv: the server builds the release's own virtual environment where the unit runs it
    // from (<release>/<venvDir>), with the exact system Python the project targets.
    const venv = this.props.release === 'venv' ? { python: systemPython(this.project), folder: this.project.venvDir, requirements: this.shippedFile() } : undefined;
    this.renderFiles(files, { release, healthUrl, venv });
    this.addReadmeSection({ id: 'deploy', title: 'Deploy', body: this.renderFragment('readme.md.ejs', { release, healthUrl, venv }) });
    if (venv && !this.fs.exists(this.destinationPath(venv.requirements))) {
      this.log.info(`deploy: a venv release installs ${venv.requirements} on the server, which is missing: add it with \`pyrepo add requirements\``);
    }
  }
}

export type { Options };
