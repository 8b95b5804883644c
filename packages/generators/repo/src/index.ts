import { spawnSync } from 'node:child_process';
import { PyrepoGenerator } from '@pyrepo/core';
import type { Options } from './options.js';

/** Python's own leftovers: bytecode, packaging output, local secrets. */
const pythonIgnores = ['__pycache__/', '*.py[cod]', '*.egg-info/', '/build/', '/dist/', '.env', '.env.*'];

/** Owns README.md and .gitignore; initializes git once everything is written. */
export default class RepoGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.createReadme(this.renderFragment('intro.md.ejs'));
    this.addIgnoreLines('.gitignore', pythonIgnores);
  }

  end(): void {
    if (this.props.skipGit || this.dryRun) return;
    // Inside an existing work tree (a monorepo, say), a nested repository is not wanted.
    if (spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: this.destinationRoot(), stdio: 'ignore' }).status === 0) return;
    if (!this.runStep('initialize a git repository', 'git', ['init', '--quiet'])) return;
    this.log.ok('repo: initialized a git repository');
    if (this.props.initialCommit && this.runStep('add the files to git', 'git', ['add', '--all']) && this.runStep('make the first commit', 'git', ['commit', '--quiet', '--message', 'Initial commit (pyrepo)'])) {
      this.log.ok('repo: made the first commit');
    }
  }
}

export type { Options };
