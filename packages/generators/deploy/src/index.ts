import { PyrepoGenerator, releaseLayout, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/deploy.sh.ejs', executable: true }];

/** The deploy script. */
export default class DeployGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const release = releaseLayout(this.project);
    this.renderFiles(files, { release });
    this.addReadmeSection({ id: 'deploy', title: 'Deploy', body: this.renderFragment('readme.md.ejs', { release }) });
  }
}

export type { Options };
