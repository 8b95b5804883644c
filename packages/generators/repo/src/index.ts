import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PyrepoGenerator, UsageError, nearestGit } from '@pyrepo/core';
import type { Options } from './options.js';

/** Python's own leftovers: bytecode, packaging output, local secrets. */
const pythonIgnores = ['__pycache__/', '*.py[cod]', '*.egg-info/', '/build/', '/dist/', '.env', '.env.*'];

/**
 * Why a `.git` is not a repository git can use, or nothing when it is. The test git itself makes
 * (is_git_directory): a folder with HEAD, and objects/ and refs/ or a commondir file (a worktree's);
 * a file that says `gitdir: <folder>` of such a folder. A `git init` that failed half-way leaves
 * one that fails it, and git would not repair it: nothing looks inside a folder that has a .git.
 */
function gitDirProblem(git: string): string | undefined {
  let folder = git;
  if (statSync(git).isFile()) {
    const target = /^gitdir: (.+)$/m.exec(readFileSync(git, 'utf8'))?.[1]?.trim();
    if (!target) return 'it is a file that does not say "gitdir: <folder>"';
    folder = resolve(dirname(git), target);
    if (!existsSync(join(folder, 'HEAD'))) return `it points at ${folder}, which is not a git folder`;
    return undefined;
  }
  if (!existsSync(join(folder, 'HEAD'))) return 'it has no HEAD';
  if (!existsSync(join(folder, 'commondir')) && !(existsSync(join(folder, 'objects')) && existsSync(join(folder, 'refs')))) return 'it has no objects/ or refs/';
  return undefined;
}

/** Owns README.md and .gitignore; initializes git once everything is written. */
export default class RepoGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    if (!this.props.skipGit) this.#refuseBrokenGit();
    this.createReadme(this.renderFragment('intro.md.ejs'));
    this.addIgnoreLines('.gitignore', pythonIgnores);
  }

  /** A broken .git would be taken for a work tree and never initialized: say so before anything is written. */
  #refuseBrokenGit(): void {
    if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return; // git is told where the repository is
    const git = nearestGit(this.destinationRoot());
    const problem = git && gitDirProblem(git);
    if (!git || !problem) return;
    throw new UsageError({
      message: `${git} is not a working git repository (${problem}): a git init that failed leaves one like it.`,
      fix: `remove it (rm -rf '${git.replaceAll("'", "'\\''")}') and run again, so git init starts afresh; or pass --skip-git to generate without git.`,
    });
  }

  async end(): Promise<void> {
    if (this.props.skipGit) return;
    // Inside an existing work tree (a monorepo, say), a nested repository is not wanted.
    if (this.#insideWorkTree()) return;
    if (!(await this.runStep('initialize a git repository', 'git', ['init', '--quiet']))) return;
    if (!this.props.initialCommit) return;
    // Only what this run generated: files that were in the folder before (keys, credentials) are not pyrepo's to commit.
    const files = this.#notIgnored(this.filesOfThisRun());
    // Names are read literally, after `--`: no name is an option, a glob or pathspec magic.
    if (
      (await this.runStep('add the generated files to git', 'git', ['--literal-pathspecs', 'add', '--', ...files])) &&
      (await this.runStep('make the first commit', 'git', ['commit', '--quiet', '--message', 'Initial commit (pyrepo)'])) &&
      !this.dryRun
    ) {
      this.log.ok(`repo: made the first commit (${files.length} generated files)`);
    }
  }

  /**
   * Whether the repository is in a git work tree: a .git in it or above (checked whole by
   * writing). Asking git (a process, ~10 ms) only when GIT_DIR or GIT_WORK_TREE say where it is.
   */
  #insideWorkTree(): boolean {
    if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: this.destinationRoot(), stdio: 'ignore' }).status === 0;
    return nearestGit(this.destinationRoot()) !== undefined;
  }

  /** The files .gitignore does not exclude: `git add` refuses an ignored file named to it. */
  #notIgnored(files: string[]): string[] {
    const result = spawnSync('git', ['--literal-pathspecs', 'check-ignore', '--stdin', '-z'], { cwd: this.destinationRoot(), input: files.join('\0'), encoding: 'utf8' });
    if (result.status !== 0) return files; // 1: none is ignored; otherwise git add reports the problem
    const ignored = new Set(result.stdout.split('\0'));
    return files.filter(file => !ignored.has(file));
  }
}

export type { Options };
