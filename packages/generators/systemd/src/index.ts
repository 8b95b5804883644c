import { PyrepoGenerator, releaseLayout, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'deploy/__name__.service.ejs' }];

/** The systemd unit of the application's uWSGI. */
export default class SystemdGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const release = releaseLayout(this.project);
    this.renderFiles(files, { release });
    this.addReadmeSection({ id: 'systemd', title: 'Run as a service', body: this.renderFragment('readme.md.ejs', { release }) });
  }
}

export type { Options };
