import { PyrepoGenerator, releaseLayout, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/deploy.sh.ejs', executable: true }];

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
};

/** The deploy script. */
export default class DeployGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const release = releaseLayout(this.project);
    // Probed on the server after each restart: the application's health endpoint on its port.
    const healthUrl = `http://127.0.0.1:${this.project.port}/healthz`;
    const artifact = artifacts[this.props.artifact](this.project.name);
    this.renderFiles(files, { release, healthUrl, artifact });
    this.addReadmeSection({ id: 'deploy', title: 'Deploy', body: this.renderFragment('readme.md.ejs', { release, healthUrl, artifact }) });
  }
}

export type { Options };
