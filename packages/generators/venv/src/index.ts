import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { PyrepoGenerator } from '@pyrepo/core';
import type { Options } from './options.js';

/** Owns the virtual environment: its ignore line, its README section, and creating it. */
export default class VenvGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.addIgnoreLines('.gitignore', [`/${this.project.venvDir}/`]);
    this.addReadmeSection({ id: 'venv', title: 'Virtual environment', body: this.renderFragment('readme.md.ejs') });
  }

  /** Runs after every file is written: create the venv, install the development requirements. */
  install(): void {
    if (this.options.skipInstall) return;
    const venv = this.project.venvDir;
    if (!existsSync(this.destinationPath(venv, 'pyvenv.cfg'))) {
      const args = ['-m', 'venv', ...(this.props.systemSitePackages ? ['--system-site-packages'] : []), this.project.venvDir];
      if (!this.runStep(`create the virtual environment ${this.project.venvDir}`, this.#interpreter(), args)) return;
    }
    const requirements = this.requirementsFile('dev');
    // The project's own pip configuration (an internal index, a proxy) when it has one.
    const pipConf = this.destinationPath('pip.conf');
    const env: Record<string, string> = existsSync(pipConf) ? { PIP_CONFIG_FILE: pipConf } : {};
    const installed = this.runStep(`install ${requirements}`, `${venv}/bin/python`, ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', requirements], env);
    if (installed && !this.dryRun) this.log.ok(`venv: ${this.project.venvDir} holds ${requirements}; activate it with . ${this.project.venvDir}/bin/activate`);
  }

  /** python3.12 when the project's Python is installed under that name, else python3. (Private: Yeoman runs public methods as tasks.) */
  #interpreter(): string {
    const exact = `python${this.project.python}`;
    return spawnSync(exact, ['--version'], { stdio: 'ignore' }).status === 0 ? exact : 'python3';
  }
}

export type { Options };
