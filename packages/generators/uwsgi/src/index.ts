import { PyrepoGenerator, UsageError, pin, sourceRoot, type FileSpec, type ProductionVariable, type ProjectContext } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'uwsgi.ini.ejs' }];

/** A setting of uwsgi.ini that the deployment may override with an environment variable. */
interface Tunable {
  /** The variable (uWSGI reads UWSGI_<OPTION> itself). */
  variable: string;
  /** The ini option set when the variable is not. */
  option: string;
  /** The value written when the variable is not set. */
  fallback: string;
  description: string;
}

/**
 * What the deployment tunes without editing uwsgi.ini: one list for the ini (its comment and its
 * `if-not-env` blocks) and `.env.example`, so neither can name a variable the other lacks.
 */
const tunables = (project: ProjectContext, options: Options): Tunable[] => [
  { variable: 'UWSGI_PROCESSES', option: 'processes', fallback: String(options.processes), description: 'worker processes' },
  { variable: 'UWSGI_MAX_REQUESTS', option: 'max-requests', fallback: String(options.maxRequests), description: 'requests before a worker is recycled' },
  { variable: 'UWSGI_HARAKIRI', option: 'harakiri', fallback: String(options.harakiri), description: 'seconds before a stuck worker is killed' },
  { variable: 'UWSGI_HTTP_SOCKET', option: 'http-socket', fallback: `:${project.port}`, description: 'the address served' },
  { variable: 'UWSGI_CHDIR', option: 'chdir', fallback: options.chdir, description: 'where the code is' },
];

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
    const settings = tunables(this.project, this.props);
    this.renderFiles(files, { module: runtime.wsgiModule(this.project), sourceRoot: sourceRoot(this.project), staticFiles: runtime.staticFiles?.(this.project), tunables: settings });
    this.addEnvExample(settings.map((tunable): ProductionVariable => ({ name: tunable.variable, required: false, example: tunable.fallback, description: `uWSGI: ${tunable.description} (uwsgi.ini's ${tunable.option} when unset)` })));
    if (this.props.install === 'pip') this.addRequirements('prod', [pin('uwsgi')]);
  }
}

export type { Options };
