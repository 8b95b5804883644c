import { PyrepoGenerator, UsageError, pin, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'server.py.ejs' }, { template: 'tests/test_server.py.ejs' }];

/** The Tornado server. */
export default class TornadoGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    if (this.project.framework !== 'tornado') {
      throw new UsageError({
        message: `The tornado generator writes a Tornado server, but this project's framework is ${this.project.framework}.`,
        fix: 'pass --framework tornado (it is stored for the next runs).',
      });
    }
    this.renderFiles(files);
    this.addRequirements('base', [pin('tornado')]);
    this.addEnvExample(this.frameworkRuntime().productionVariables(this.project));
    this.addReadmeSection({ id: 'tornado', title: 'Run locally', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
