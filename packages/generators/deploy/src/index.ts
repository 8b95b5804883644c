import { PyrepoGenerator, releaseLayout, systemPython, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [
  { template: 'scripts/deploy.sh.ejs', executable: true },
  // A venv release is the tagged commit's files: this script archives them, named after the tag.
  { template: 'scripts/release-archive.sh.ejs', executable: true, when: data => data.options.artifact === 'venv' },
];

/** A kind of release: its file's suffix; a file the release folder holds as it is, not unpacked. */
interface Artifact {
  suffix: string;
  /** The name it gets in the release folder, which the service runs. */
  runs?: string;
  /** What builds it, and its name. */
  built?: string;
}

const artifacts: Record<Options['artifact'], (name: string) => Artifact> = {
  sdist: () => ({ suffix: '.tar.gz' }),
  // The unit of systemd --run zipapp starts <current>/<name>.pyz, whatever the release.
  zipapp: name => ({ suffix: '.pyz', runs: `${name}.pyz`, built: `scripts/build-pyz.sh: ${name}-<version>.pyz` }),
  // The tagged commit's files; the server builds the release's venv from them.
  venv: name => ({ suffix: '.tar.gz', built: `scripts/release-archive.sh: ${name}-<version>.tar.gz` }),
};

/** The deploy script. */
export default class DeployGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const release = releaseLayout(this.project);
    // Probed on the server after each restart: the application's health endpoint on its port.
    const healthUrl = `http://127.0.0.1:${this.project.port}/healthz`;
    const artifact = artifacts[this.props.artifact](this.project.name);
    // --artifact venv: the server builds the release's own virtual environment where the unit runs
    // it from (<release>/<venvDir>), with the exact system Python the project targets.
    const venv = this.props.artifact === 'venv' ? { python: systemPython(this.project), folder: this.project.venvDir, requirements: this.shippedFile() } : undefined;
    this.renderFiles(files, { release, healthUrl, artifact, venv });
    this.addReadmeSection({ id: 'deploy', title: 'Deploy', body: this.renderFragment('readme.md.ejs', { release, healthUrl, artifact, venv }) });
    if (venv && !this.fs.exists(this.destinationPath(venv.requirements))) {
      this.log.info(`deploy: a venv release installs ${venv.requirements} on the server, which is missing: add it with \`pyrepo add requirements\``);
    }
  }
}

export type { Options };
