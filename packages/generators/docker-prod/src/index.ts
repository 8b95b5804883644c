import { PyrepoGenerator, dockerIgnoreLines, variablesSet, imageServerCommand, stateLayout, execForm, pythonImage, requirementsCopies, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'docker/app/Dockerfile.ejs' }, { template: 'docker/app/entrypoint.sh.ejs', executable: true }];

/** The production image and its entrypoint. */
export default class DockerProdGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const runtime = this.frameworkRuntime();
    // The source stays root's; the application writes only here (a volume, so data outlives the container).
    const stateFolder = runtime.state?.(this.project) ? stateLayout(this.project).folder : undefined;
    const serverCommand = imageServerCommand(this.project, runtime, this.props.serverCommand);
    // An internal index or proxy (pip.conf) applies to the build as it does to developers.
    const pipConf = this.fs.exists(this.destinationPath('pip.conf'));
    const env = runtime.env(this.project, 'prod');
    this.renderFiles(files, {
      image: pythonImage(this.project),
      execForm,
      env,
      stateFolder,
      prestart: runtime.prestart(this.project),
      prestartSwitch: runtime.prestartSwitch,
      build: runtime.build(this.project),
      copies: requirementsCopies(this.requirementsSpec()),
      shipped: this.shippedFile(),
      pipConf,
      serverCommand,
    });
    this.addIgnoreLines('.dockerignore', dockerIgnoreLines(this.project));
    // The image sets these; the entrypoint reads the switch.
    this.addEnvExample([...variablesSet(env, 'the production image'), ...(runtime.prestartSwitch && runtime.prestart(this.project).length > 0 ? [runtime.prestartSwitch] : [])]);
    this.addReadmeSection({
      id: 'docker-prod',
      title: 'Build for production',
      body: this.renderFragment('readme.md.ejs', { prestart: runtime.prestart(this.project), prestartSwitch: runtime.prestartSwitch, productionEnv: runtime.productionEnv(this.project), stateFolder, pipConf }),
    });
    if (serverCommand[0] === 'uwsgi' && !this.fs.exists(this.destinationPath('uwsgi.ini'))) {
      this.log.info('docker-prod: the image runs uWSGI with uwsgi.ini, which is missing: add it with `pyrepo add uwsgi`');
    }
  }
}

export type { Options };
