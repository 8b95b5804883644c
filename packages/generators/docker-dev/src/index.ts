import { PyrepoGenerator, dockerIgnoreLines, execForm, fileNameFor, pythonImage, requirementsCopies, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

/** The compose file goes where Compose looks first: the repository's own (compose.yaml, docker-compose.yml, ...), never a second one beside it. */
const files = (composeFile: string): FileSpec[] => [{ template: 'docker/app/dev.Dockerfile.ejs' }, { template: 'docker-compose.yaml.ejs', to: composeFile }];

/** The development container and its compose file. */
export default class DockerDevGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const runtime = this.frameworkRuntime();
    const composeFile = fileNameFor('compose', path => this.fs.exists(this.destinationPath(path)));
    const pipConf = this.fs.exists(this.destinationPath('pip.conf'));
    const devImage = `${this.project.name}-dev`;
    this.renderFiles(files(composeFile), {
      image: pythonImage(this.project),
      execForm,
      env: runtime.env(this.project, 'dev'),
      command: ['sh', '-c', [...runtime.prestart(this.project), `exec ${runtime.devCommand(this.project).join(' ')}`].join(' && ')],
      copies: requirementsCopies(this.requirementsSpec()),
      pipConf,
      devImage,
    });
    this.addIgnoreLines('.dockerignore', dockerIgnoreLines(this.project));
    this.addReadmeSection({ id: 'docker-dev', title: 'Run in Docker', body: this.renderFragment('readme.md.ejs', { pipConf, composeFile, devImage }) });
  }
}

export type { Options };
