import { existsSync } from 'node:fs';
import { PyrepoGenerator } from '@pyrepo/core';
import { findInterpreter, type InterpreterChoice } from './interpreter.js';
import type { Options } from './options.js';

/** Owns the virtual environment: its ignore line, its README section, and creating it. */
export default class VenvGenerator extends PyrepoGenerator<Options> {
  /** The interpreter this run creates the venv with; chosen before the README names it. */
  #choice?: InterpreterChoice;

  writing(): void {
    if (this.#createsVenv()) this.#choice = findInterpreter(this.project.python);
    const interpreter = this.#choice?.interpreter;
    this.addIgnoreLines('.gitignore', [`/${this.project.venvDir}/`]);
    this.addReadmeSection({
      id: 'venv',
      title: 'Virtual environment',
      body: this.renderFragment('readme.md.ejs', {
        // The interpreter the venv is made with when this run makes it, else the project's Python by name.
        venvPython: interpreter?.command ?? `python${this.project.python}`,
        fallbackNote: interpreter && this.#choice?.fallbackReason ? `The project targets Python ${this.project.python}; ${this.#choice.fallbackReason} when this section was written, so \`${this.project.venvDir}\` was made with Python ${interpreter.version} (\`${interpreter.command}\`). Use \`python${this.project.python}\` once it is installed.` : '',
      }),
    });
  }

  /** Whether this run creates the venv (or, as a dry run, would): install steps run and there is none yet. */
  #createsVenv(): boolean {
    return !this.options.skipInstall && !existsSync(this.destinationPath(this.project.venvDir, 'pyvenv.cfg'));
  }

  /** Runs after every file is written: create the venv, install the development requirements. */
  async install(): Promise<void> {
    if (this.options.skipInstall) return;
    const venv = this.project.venvDir;
    if (this.#choice) {
      const { interpreter, fallbackReason } = this.#choice;
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
