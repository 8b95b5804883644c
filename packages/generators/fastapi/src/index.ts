import { PyrepoGenerator, UsageError, pin, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [
  { template: 'src/__package__/__init__.py.ejs' },
  { template: 'src/__package__/__main__.py.ejs' },
  { template: 'src/__package__/main.py.ejs' },
  { template: 'tests/test_main.py.ejs' },
];

/** A FastAPI service in a src layout. */
export default class FastapiGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    if (this.project.framework !== 'fastapi') {
      throw new UsageError({
        message: `The fastapi generator writes a FastAPI service, but this project's framework is ${this.project.framework}.`,
        fix: 'pass --framework fastapi (it is stored for the next runs).',
      });
    }
    this.renderFiles(files);
    this.addRequirements('base', [pin('fastapi'), pin('uvicorn')]);
    // FastAPI's TestClient runs on httpx.
    this.addRequirements('ci', [pin('httpx')]);
    this.addEnvExample(this.frameworkRuntime().productionVariables(this.project));
    this.addReadmeSection({ id: 'fastapi', title: 'Run locally', body: this.renderFragment('readme.md.ejs') });
  }
}

export type { Options };
