import { PyrepoGenerator, dockerIgnoreLines, execForm, pythonImage, requirementsCopies, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'docker/app/dev.Dockerfile.ejs' }, { template: 'docker-compose.yaml.ejs' }];

/** The development container and its compose file. */
export default class DockerDevGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const runtime = this.frameworkRuntime();
    this.renderFiles(files, {
      image: pythonImage(this.project),
      execForm,
      env: runtime.env(this.project, 'dev'),
      command: ['sh', '-c', [...runtime.prestart(this.project), `exec ${runtime.devCommand(this.project).join(' ')}`].join(' && ')],
      copies: requirementsCopies(this.requirementsSpec()),
      pipConf: this.fs.exists(this.destinationPath('pip.conf')),
    });
    this.addIgnoreLines('.dockerignore', dockerIgnoreLines(this.project));
    this.addReadmeSection({ id: 'docker-dev', title: 'Run in Docker', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
