import { PyrepoGenerator, pin, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'uwsgi.ini.ejs' }];

/** uwsgi.ini and the uWSGI pin. */
export default class UwsgiGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const runtime = this.frameworkRuntime();
    this.renderFiles(files, { module: runtime.wsgiModule(this.project), staticFiles: runtime.staticFiles });
    if (this.props.install === 'pip') this.addRequirements('prod', [pin('uwsgi')]);
  }
}

export type { Options };
