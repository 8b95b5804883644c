import { PyrepoGenerator, dockerIgnoreLines, execForm, pythonImage, requirementsCopies, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'docker/app/Dockerfile.ejs' }, { template: 'docker/app/entrypoint.sh.ejs', executable: true }];

/** The production image and its entrypoint. */
export default class DockerProdGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const runtime = this.frameworkRuntime();
    this.renderFiles(files, {
      image: pythonImage(this.project),
      execForm,
      env: runtime.env(this.project, 'prod'),
      prestart: runtime.prestart,
      build: runtime.build(this.project),
      copies: requirementsCopies(this.project.layout),
    });
    this.addIgnoreLines('.dockerignore', dockerIgnoreLines(this.project));
    this.addReadmeSection({
      id: 'docker-prod',
      title: 'Build for production',
      body: this.renderFragment('readme.md.ejs', { prestart: runtime.prestart, productionEnv: runtime.productionEnv }),
    });
    if (this.props.serverCommand[0] === 'uwsgi' && !this.fs.exists(this.destinationPath('uwsgi.ini'))) {
      this.log.info('docker-prod: the image runs uWSGI with uwsgi.ini, which is missing: add it with `pyrepo add uwsgi`');
    }
  }
}

export type { Options };
