import { existsSync } from 'node:fs';
import { PyrepoGenerator } from '@pyrepo/core';
import { findInterpreter } from './interpreter.js';
import type { Options } from './options.js';

/** Owns the virtual environment: its ignore line, its README section, and creating it. */
export default class VenvGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.addIgnoreLines('.gitignore', [`/${this.project.venvDir}/`]);
    // The README names the project's Python, never the interpreter found on this machine: `pyrepo
    // check` and `update` regenerate it from the records alone, so it must not depend on the machine.
    this.addReadmeSection({ id: 'venv', title: 'Virtual environment', body: this.renderFragment('readme.md.ejs', {}) });
  }

  /** Runs after every file is written: create the venv, install the development requirements. */
  async install(): Promise<void> {
    if (this.options.skipInstall) return;
    const venv = this.project.venvDir;
    // Chosen here, not while writing: only a run that makes the venv (or a dry run naming the step) looks for one.
    if (!existsSync(this.destinationPath(venv, 'pyvenv.cfg'))) {
      const { interpreter, fallbackReason } = findInterpreter(this.project.python);
      if (!interpreter) {
        this.log.error(`venv: cannot create ${venv}: ${fallbackReason}, and there is no python3 either. Install Python ${this.project.python} (or pyenv/uv and one of theirs), then run: python${this.project.python} -m venv ${venv}`);
        return;
      }
      if (fallbackReason) this.log.info(`venv: Python ${this.project.python} was asked for, but ${fallbackReason}; using ${interpreter.command} (Python ${interpreter.version}, ${interpreter.path}) instead.`);
      // -I (isolated): `-m` would put the repository's folder first on sys.path, and a venv.py of it would run.
      const args = ['-I', '-m', 'venv', ...(this.props.systemSitePackages ? ['--system-site-packages'] : []), venv];
      if (!(await this.runStep(`create the virtual environment ${venv} with Python ${interpreter.version} (${interpreter.command})`, interpreter.path, args))) return;
    }
    const requirements = this.requirementsFile('dev');
    // The project's own pip configuration (an internal index, a proxy) when it has one.
    const pipConf = this.destinationPath('pip.conf');
    const env: Record<string, string> = existsSync(pipConf) ? { PIP_CONFIG_FILE: pipConf } : {};
    // -I here too: no pip.py or pip/ of the repository is imported (PIP_* variables still apply).
    const installed = await this.runStep(`install ${requirements}`, `${venv}/bin/python`, ['-I', '-m', 'pip', 'install', '--disable-pip-version-check', '-r', requirements], env);
    if (installed && !this.dryRun) this.log.ok(`venv: ${venv} holds ${requirements}; activate it with . ${venv}/bin/activate`);
  }
}

export type { Options };
