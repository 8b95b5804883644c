import { PyrepoGenerator, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'pip.conf.ejs' }];

/** pip's configuration for the project. */
export default class PipConfigGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.renderFiles(files);
    this.addReadmeSection({ id: 'pip-config', title: 'Package index and proxy', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
