// The steps the README and `pyrepo init` give for a clone work as written, and the test tooling
// waits for a package manager lock another process holds. npm's global folder is a temporary one.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pyrepo, repoRoot, tempFolders } from './helpers/cli.js';

const folders = tempFolders('pyrepo-tooling-');
test.after(folders.cleanup);

function bash(command: string, cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 300_000) {
  return spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout });
}

test('the README puts pyrepo on PATH from a clone with the command it shows', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /### `pyrepo` on your PATH[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n');
  assert.ok(block && block.length === 2, 'a link command, then pyrepo --version');
  const prefix = folders.make();
  const linked = bash(block![0]!, repoRoot, { npm_config_prefix: prefix });
  assert.is(linked.status, 0, linked.stderr);
  // The linked command, from elsewhere, by name on PATH.
  const run = bash(block![1]!, folders.make(), { PATH: `${join(prefix, 'bin')}:${process.env.PATH}` });
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/);
});

test("pyrepo init's next steps, from a clone, test the new package before @pyrepo/core is published", () => {
  const dir = folders.make();
  const init = pyrepo(['init', 'preset', '@acme/web'], dir);
  assert.is(init.code, 0, init.stderr);
  const lines = init.stdout.split('\n');
  const cd = lines[lines.indexOf('Next:') + 1]!.trim();
  const fromClone = lines.slice(lines.findIndex(line => line.startsWith('Until @pyrepo/core is on the npm registry')) + 1).slice(0, 2).map(line => line.trim());
  assert.match(fromClone.join('\n'), /npm link\)[\s\S]*npm link @pyrepo\/core @pyrepo\/testing && npm test$/);
  // As a person pastes them, one after the other, in one shell.
  const run = bash([cd, ...fromClone].join('\n'), dir, { npm_config_prefix: folders.make() });
  assert.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /Passed: +1/);
});

test('ensure-tools waits for a held package manager lock, saying so, and gives up after its bound with the command, not a stack trace', () => {
  const dir = folders.make();
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // An apt-get that finds the lock held while the file `held` counts down.
  writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\nn=$(cat "${dir}/held")\nif [ "$n" -gt 0 ]; then echo $((n - 1)) > "${dir}/held"; echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)" >&2; exit 100; fi\necho "apt-get $*"\n`);
  chmodSync(join(bin, 'apt-get'), 0o755);
  const aptGet = (waitSeconds: number) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `import { aptGet } from ${JSON.stringify(join(repoRoot, 'scripts', 'apt-get.mjs'))}; aptGet(['update'], { lockWaitSeconds: ${waitSeconds}, pollSeconds: 0.2, retry: 'sudo apt-get update' });`], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
  writeFileSync(join(dir, 'held'), '3');
  const waited = aptGet(30);
  assert.is(waited.status, 0, waited.stderr);
  assert.match(waited.stderr, /^Another process holds the package manager's lock \(apt, dpkg or unattended-upgrades\): waiting for it, at most 30 s\.\.\.\n$/);
  assert.match(waited.stdout, /^apt-get update\n$/);

  writeFileSync(join(dir, 'held'), '1000');
  const gaveUp = aptGet(1);
  assert.is(gaveUp.status, 1);
  assert.match(gaveUp.stderr, /apt-get update failed: the package manager's lock was still held after 1 s\.\nRun it again once that is solved:\n  sudo apt-get update\n$/);
  assert.not.match(gaveUp.stderr, /\n +at /, 'no stack trace');
});

test.run();
