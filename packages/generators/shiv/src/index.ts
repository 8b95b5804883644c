import { PyrepoGenerator, UsageError, pin, systemPython, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/build-pyz.sh.ejs', executable: true }];

/** The zipapp build. */
export default class ShivGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const [consoleScript] = this.frameworkRuntime().distribution(this.project).consoleScripts;
    if (!consoleScript) {
      throw new UsageError({
        message: `shiv needs a console entry point, and a ${this.project.framework} application has none.`,
        fix: 'use shiv with --framework fastapi, whose package has main().',
      });
    }
    const entryPoint = consoleScript.split('=')[1]!.trim();
    const shebang = this.props.shebang || systemPython(this.project);
    const freezeHint = this.repositoryHas('scripts/freeze-requirements.sh') ? ': refresh the lock with scripts/freeze-requirements.sh' : ': pin them there';
    const data = { entryPoint, shipped: this.shippedFile(), shebang, freezeHint };
    this.renderFiles(files, data);
    this.addRequirements('ci', [pin('shiv')]);
    this.addIgnoreLines('.gitignore', ['/dist/']);
    this.addReadmeSection({ id: 'shiv', title: 'Build a runnable file', body: this.renderFragment('readme.md.ejs', data) });
    if (!this.fs.exists(this.destinationPath('setup.py'))) {
      this.log.info('shiv: it installs the application with pip, from setup.py, which is missing: add it with `pyrepo add setuptools`');
    }
  }
}

export type { Options };
