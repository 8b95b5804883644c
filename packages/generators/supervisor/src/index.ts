import { PyrepoGenerator, UsageError, releaseLayout, variablesSet, venvService, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'deploy/supervisor/__name__.conf.ejs' }];

/** The supervisord program. */
export default class SupervisorGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const runtime = this.frameworkRuntime();
    if (!runtime.serve) {
      throw new UsageError({
        message: `A ${this.project.framework} application runs under uWSGI, not from a virtual environment's python.`,
        fix: 'use the systemd generator (--run uwsgi) for it.',
      });
    }
    const release = releaseLayout(this.project);
    const service = venvService(this.project, runtime.serve(this.project), this.props.listen);
    this.renderFiles(files, { release, service });
    this.addEnvExample(variablesSet(service.environment, 'the supervisord program'));
    this.addReadmeSection({ id: 'supervisor', title: 'Run with supervisord', body: this.renderFragment('readme.md.ejs', { release }) });
  }
}

export type { Options };
