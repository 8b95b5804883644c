import { PyrepoGenerator, UsageError, dockerIgnoreLines, execForm, pyrepoDjangoBuildSettings, pythonImage, stateLayout, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [
  { template: 'Makefile.ejs' },
  { template: 'docker/base/Dockerfile.ejs' },
  { template: 'docker/base/entrypoint.sh.ejs', executable: true },
  { template: 'docker/builder/Dockerfile.ejs' },
  { template: 'Dockerfile.ejs' },
];

/** The wheels-in-Docker workflow of seed 003, for a Django application. */
export default class WheelhouseGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    if (this.project.framework !== 'django') {
      throw new UsageError({
        message: `wheelhouse packages a Django application (make manage runs manage.py); this project's framework is ${this.project.framework}.`,
        fix: 'pass --framework django, or use docker-prod for other frameworks.',
      });
    }
    const namespace = this.props.registryNamespace || this.project.name;
    const runtime = this.frameworkRuntime();
    const uwsgiIni = this.fs.exists(this.destinationPath('uwsgi.ini'));
    // setuptools puts the production-only requirements (uWSGI) in a "prod" extra.
    const prodExtra = this.requirementsFile('prod') !== this.requirementsFile('base');
    // The database's folder, a volume: SQLite goes there when DATABASE_URL chooses it (make manage migrate).
    const stateFolder = runtime.state?.(this.project) ? stateLayout(this.project).folder : undefined;
    const productionEnv = runtime.productionEnv(this.project);
    // The application's wheel in wheelhouse/, as setuptools names it: polls-1.0.0-py3-none-any.whl.
    const wheelName = this.project.name.replace(/[-_.]+/g, '_');
    const data = { namespace, wheelName, image: pythonImage(this.project), execForm, env: runtime.env(this.project, 'prod'), uwsgiIni, prodExtra, buildSettings: pyrepoDjangoBuildSettings, stateFolder, productionEnv };
    this.renderFiles(files, data);
    this.addIgnoreLines('.dockerignore', dockerIgnoreLines(this.project));
    this.addIgnoreLines('.gitignore', ['/wheelhouse/']);
    this.addReadmeSection({ id: 'wheelhouse', title: 'Build and run with Docker', body: this.renderFragment('readme.md.ejs', data) });
    if (!this.fs.exists(this.destinationPath('setup.py'))) {
      this.log.info('wheelhouse: the builder runs pip wheel on setup.py, which is missing: add it with `pyrepo add setuptools`');
    }
  }
}

export type { Options };
