import { PyrepoGenerator, UsageError, pin, sourceRoot, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'uwsgi.ini.ejs' }];

/** uwsgi.ini and the uWSGI pin. */
export default class UwsgiGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const runtime = this.frameworkRuntime();
    if (!runtime.wsgiModule) {
      throw new UsageError({
        message: `uWSGI runs WSGI applications; a ${this.project.framework} application is not one.`,
        fix: 'leave uwsgi out: the application runs its own server (systemd, docker-prod and the presets for it know how).',
      });
    }
    this.renderFiles(files, { module: runtime.wsgiModule(this.project), sourceRoot: sourceRoot(this.project), staticFiles: runtime.staticFiles?.(this.project) });
    if (this.props.install === 'pip') this.addRequirements('prod', [pin('uwsgi')]);
  }
}

export type { Options };
