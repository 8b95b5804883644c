import { PyrepoGenerator, releaseLayout, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/deploy.sh.ejs', executable: true }];

/** The deploy script. */
export default class DeployGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const release = releaseLayout(this.project);
    // Probed on the server after each restart: the application's health endpoint on its port.
    const healthUrl = `http://127.0.0.1:${this.project.port}/healthz`;
    this.renderFiles(files, { release, healthUrl });
    this.addReadmeSection({ id: 'deploy', title: 'Deploy', body: this.renderFragment('readme.md.ejs', { release, healthUrl }) });
  }
}

export type { Options };
