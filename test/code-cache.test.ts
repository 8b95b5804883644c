// The bin runs the CLI bundle with V8's code cache (packages/cli/src/load-bundle.ts): kept per
// bundle and Node version, made fuller by a generation with built-in generators and by one with a
// team's, replaced when V8 rejects it, and never needed: without a writable cache folder the CLI
// works the same.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtures, pyrepo, tempFolders } from './helpers/cli.js';

const folders = tempFolders('pyrepo-code-cache-');
const root = folders.make();
test.after(folders.cleanup);

const cacheFiles = (dir: string) => readdirSync(dir).sort();

test('the first start writes the cache; a generation writes a fuller one, and a generation by another code path one fuller still', () => {
  const cache = join(root, 'cache');
  const env = { PYREPO_CACHE_DIR: cache };
  const version = pyrepo(['--version'], root, env);
  assert.is(version.code, 0, version.stderr);
  const [start] = cacheFiles(cache);
  assert.match(start!, new RegExp(`^pyrepo\\.cjs-${process.version.replace(/\./g, '\\.')}-${process.arch}-\\d+-\\d+\\.start\\.v8$`));
  const startSize = statSync(join(cache, start!)).size;
  assert.ok(startSize > 100_000, 'the cache holds compiled code');

  assert.is(pyrepo(['new', 'wpmedia-django', '--help'], root, env).code, 0);
  assert.equal(cacheFiles(cache), [start], '`new --help` generates nothing: the start-up cache stays');

  const generated = pyrepo(['new', 'wpmedia-django', join(root, 'app'), '--yes', '--skip-install'], root, env);
  assert.is(generated.code, 0, generated.stderr);
  const builtIn = start!.replace('.start.v8', '.built-in.v8');
  assert.equal(cacheFiles(cache), [builtIn], 'a generation keeps the code it compiled, in place of the start-up cache');
  const written = statSync(join(cache, builtIn)).mtimeMs;
  assert.is(pyrepo(['list'], root, env).code, 0);
  assert.is(statSync(join(cache, builtIn)).mtimeMs, written, 'a usable cache is not written again');

  // A generator from a path compiles more (Ajv's compiler, the module loader): kept with the rest.
  const team = pyrepo(['add', join(fixtures, 'sample-generator'), '--trust', '--yes', '--name', 'demo'], join(root, 'app'), env);
  assert.is(team.code, 0, team.stderr);
  const both = start!.replace('.start.v8', '.built-in+team.v8');
  assert.equal(cacheFiles(cache), [both]);
  assert.ok(statSync(join(cache, both)).size > startSize, 'it holds more than start-up');
  const again = statSync(join(cache, both)).mtimeMs;
  assert.is(pyrepo(['new', 'wpmedia-django', join(root, 'app2'), '--yes', '--skip-install'], root, env).code, 0);
  assert.is(statSync(join(cache, both)).mtimeMs, again, 'a cache that has the paths a run takes is not written again');
});

test('a cache V8 rejects is replaced, and caches of other builds are removed', () => {
  const cache = join(root, 'rejected');
  const env = { PYREPO_CACHE_DIR: cache };
  assert.is(pyrepo(['--version'], root, env).code, 0);
  const [start] = cacheFiles(cache);
  writeFileSync(join(cache, start!), 'not V8 code');
  writeFileSync(join(cache, 'pyrepo.cjs-v0.0.0-x64-1-1.full.v8'), 'an older build');
  const result = pyrepo(['list'], root, env);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /wpmedia-django/);
  assert.equal(cacheFiles(cache), [start], 'the older build is gone; the rejected cache was rewritten');
  assert.not.equal(readFileSync(join(cache, start!), 'utf8'), 'not V8 code');

  // A rejected cache's code paths were not loaded: the one written instead does not claim them.
  const builtIn = start!.replace('.start.v8', '.built-in.v8');
  writeFileSync(join(cache, builtIn), 'not V8 code either');
  assert.is(pyrepo(['list'], root, env).code, 0);
  assert.equal(cacheFiles(cache), [start]);
});

test('without a writable cache folder the CLI works the same and says nothing about it', () => {
  const blocked = join(root, 'blocked');
  writeFileSync(blocked, 'a file where the cache folder would be');
  const result = pyrepo(['new', 'wpmedia-django', join(root, 'no-cache'), '--yes', '--skip-install'], root, { PYREPO_CACHE_DIR: join(blocked, 'cache') });
  assert.is(result.code, 0, result.stderr);
  assert.not.match(result.stderr, /ENOTDIR|EEXIST|EACCES|\.v8\b|code cache/i);
  assert.ok(statSync(join(root, 'no-cache', 'manage.py')).isFile());
});

test.run();
