import { PyrepoGenerator, UsageError, releaseLayout, systemPython, variablesSet, venvService, type FileSpec, type ProjectContext, type ReleaseLayout } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'deploy/__name__.service.ejs' }];

interface Service {
  /** systemd's Type=: notify for uWSGI (it reports readiness), exec otherwise. */
  type: 'notify' | 'exec';
  execStart: string;
  environment: Record<string, string>;
  /** uWSGI reloads gracefully on SIGHUP. */
  reload: boolean;
}

/** How each run mode starts the release: data, not branches in the template. */
const services: Record<Options['run'], (project: ProjectContext, options: Options, release: ReleaseLayout, serve?: string[]) => Service> = {
  uwsgi: (project, options, release) => ({
    type: 'notify',
    execStart: `${options.uwsgiBinary} --ini ${release.current}/uwsgi.ini`,
    environment: { UWSGI_CHDIR: release.current, UWSGI_HTTP_SOCKET: `${options.listen}:${project.port}` },
    reload: true,
  }),
  zipapp: (project, options, release) => ({
    type: 'exec',
    execStart: `${options.interpreter || systemPython(project)} ${release.current}/${project.name}.pyz`,
    // shiv unpacks its dependencies on first run; the state directory is the one writable place.
    environment: { HOST: options.listen, PORT: String(project.port), SHIV_ROOT: `/var/lib/${project.name}/shiv` },
    reload: false,
  }),
  venv: (project, options, _release, serve = []) => {
    const { command, environment } = venvService(project, serve, options.listen);
    return { type: 'exec', execStart: command.join(' '), environment, reload: false };
  },
};

/** The systemd unit of the application. */
export default class SystemdGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const release = releaseLayout(this.project);
    const runtime = this.frameworkRuntime();
    if (this.props.run === 'uwsgi' ? !runtime.wsgiModule : !runtime.serve) {
      throw new UsageError({
        message: `A ${this.project.framework} application cannot run with --run ${this.props.run}.`,
        fix: runtime.wsgiModule ? 'use --run uwsgi.' : 'use --run venv or --run zipapp: it is not a WSGI application.',
      });
    }
    const service = services[this.props.run](this.project, this.props, release, runtime.serve?.(this.project));
    // What production needs (Django's production settings module), then where the service listens.
    const production = Object.entries(runtime.env(this.project, 'prod')).filter(([name]) => !(name in service.environment));
    service.environment = { ...service.environment, ...Object.fromEntries(production) };
    this.renderFiles(files, { release, service });
    this.addEnvExample(variablesSet(service.environment, 'the systemd unit'));
    this.addReadmeSection({ id: 'systemd', title: 'Run as a service', body: this.renderFragment('readme.md.ejs', { release, service }) });
  }
}

export type { Options };
