import { PyrepoGenerator, UsageError, flaskConfigFile, pin, vendorDir, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'app.py.ejs' }, { template: '__name__.conf.ejs' }, { template: 'tests/test_app.py.ejs' }];

/** A Flask application in one module, with its configuration file. */
export default class FlaskGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    if (this.project.framework !== 'flask') {
      throw new UsageError({
        message: `The flask generator writes a Flask application, but this project's framework is ${this.project.framework}.`,
        fix: 'pass --framework flask (it is stored for the next runs).',
      });
    }
    const configFile = flaskConfigFile(this.project);
    this.renderFiles(files, { configFile, configVariable: `${this.project.package.toUpperCase()}_CONFIG`, vendorDir });
    this.addRequirements('base', [pin('flask')]);
    this.addEnvExample(this.frameworkRuntime().productionVariables(this.project));
    this.addReadmeSection({ id: 'flask', title: 'Run locally', body: this.renderFragment('readme.md.ejs', { configFile }) });
  }
}

export type { Options };
