import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PyrepoGenerator } from '@pyrepo/core';
import type { Options } from './options.js';

/** Python's own leftovers: bytecode, packaging output, local secrets. */
const pythonIgnores = ['__pycache__/', '*.py[cod]', '*.egg-info/', '/build/', '/dist/', '.env', '.env.*'];

/**
 * Whether `dir` is in a git work tree: a .git (folder, or file for worktrees and submodules) in it
 * or above. Asking git (a process, ~10 ms) only when GIT_DIR or GIT_WORK_TREE say where it is.
 */
function insideWorkTree(dir: string): boolean {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, stdio: 'ignore' }).status === 0;
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return true;
    if (dirname(current) === current) return false;
  }
}

/** Owns README.md and .gitignore; initializes git once everything is written. */
export default class RepoGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    this.createReadme(this.renderFragment('intro.md.ejs'));
    this.addIgnoreLines('.gitignore', pythonIgnores);
  }

  end(): void {
    if (this.props.skipGit || this.dryRun) return;
    // Inside an existing work tree (a monorepo, say), a nested repository is not wanted.
    if (insideWorkTree(this.destinationRoot())) return;
    if (!this.runStep('initialize a git repository', 'git', ['init', '--quiet'])) return;
    this.log.ok('repo: initialized a git repository');
    if (this.props.initialCommit && this.runStep('add the files to git', 'git', ['add', '--all']) && this.runStep('make the first commit', 'git', ['commit', '--quiet', '--message', 'Initial commit (pyrepo)'])) {
      this.log.ok('repo: made the first commit');
    }
  }
}

export type { Options };
