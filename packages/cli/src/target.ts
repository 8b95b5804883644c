import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { UsageError, nearestGit, shellCommand } from '@pyrepo/core/host';

/**
 * Kernel file systems: no repository lives there, and Node's recursive mkdir never returns under
 * /proc (mkdir in /proc/self answers ENOENT for a folder that exists, so it climbs and retries
 * for ever, in one synchronous call that no signal interrupts).
 */
const systemRoots = ['/proc', '/sys', '/dev'];
/** Ordinary writable file systems mounted under them (/dev/shm is a tmpfs: the bench writes there). */
const ordinaryUnderSystem = ['/dev/shm'];

const under = (path: string, root: string) => path === root || path.startsWith(`${root}${sep}`);
const underSystem = (path: string, root: string) => under(path, root) && !ordinaryUnderSystem.some(ordinary => under(path, ordinary));

/**
 * Refuse a target folder that cannot hold a repository, before anything is resolved or written: one
 * under a kernel file system (the path as given, or where its nearest existing folder really is),
 * or one whose nearest existing ancestor is a file. `dir` is absolute.
 */
export function checkTargetFolder(dir: string): void {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = existsSync(existing) ? realpathSync(existing) : existing;
  const system = systemRoots.find(root => underSystem(dir, root) || underSystem(real, root));
  if (system) {
    throw new UsageError({
      message: `${dir} is under ${system}, a file system of the kernel: a repository cannot live there.`,
      fix: 'give a folder in your own work area (e.g. ~/src/my-app) as the target.',
    });
  }
  if (!statSync(existing).isDirectory()) {
    throw new UsageError(
      existing === dir
        ? { message: `${dir} exists and is not a folder.`, fix: 'give a folder path (new or existing) as the target.' }
        : { message: `${dir} cannot be created: ${existing} is a file, not a folder.`, fix: 'give a folder path whose parents are folders as the target.' },
    );
  }
}

/**
 * Refuse to make a new repository inside another one's work tree (pyrepo's own clone, say): git
 * init is skipped there, and the other repository's git tracks the new files, or its .gitignore
 * hides them. A folder that holds its own .git is its own repository. `dir` is absolute.
 */
export function checkOutsideOtherRepository(dir: string, preset: string): void {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return; // git is told where the repository is
  if (existsSync(join(dir, '.git'))) return;
  const git = nearestGit(dirname(dir));
  if (!git) return;
  const root = dirname(git);
  throw new UsageError({
    message: `${dir} is inside the git work tree of ${root}: the new repository would get no git init of its own, and the files would belong to ${root}.`,
    fix: `generate it outside (e.g. ${shellCommand(['pyrepo', 'new', preset, join(dirname(root), basename(dir))])}), or pass --in-existing-git to put it inside that repository on purpose (a monorepo).`,
  });
}
