// The test runner itself: a hook that throws must turn the run red, with the hook's error. uvu
// 0.5.6 dropped such errors and exited 0 (lukeed/uvu#60, #191); patches/uvu@0.5.6.patch fixes
// that for every install of this workspace. Each case runs the real uvu binary on a suite
// written for it, the way `npx uvu` and the README's `npx pnpm test` run it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '@pyrepo/testing';
import { repoRoot } from './helpers/cli.js';

/** The uvu command of the root package's test script (what `npx pnpm test` runs after the build). */
const testScript = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test;
const uvuCommand = testScript.split('&&').map(part => part.trim()).find(part => part.startsWith('uvu '));

/**
 * A project outside the workspace holding one compiled-looking suite (dist/x.test.js), with the
 * workspace's uvu installed in it: a stray copy can never join the workspace's own test run.
 */
function project(suite: string): { dir: string; cleanup: () => void } {
  const dir = tempDir('pyrepo-harness-');
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  const uvu = realpathSync(join(repoRoot, 'node_modules', 'uvu'));
  symlinkSync(uvu, join(dir, 'node_modules', 'uvu'));
  symlinkSync(join(uvu, 'bin.js'), join(dir, 'node_modules', '.bin', 'uvu'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'harness-check', private: true, type: 'module' }));
  writeFileSync(join(dir, 'dist', 'x.test.js'), `import { test } from 'uvu';\nimport * as assert from 'uvu/assert';\n${suite}\ntest.run();\n`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run a shell command line in the project, as a developer or CI would; exit code and all output. */
function run(dir: string, command: string): { code: number | null; output: string } {
  const result = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH}` }, timeout: 60_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

const twoTests = "test('one', () => assert.ok(true));\ntest('two', () => assert.ok(true));";

test('the README\'s test command ends in the uvu command these cases run', () => {
  assert.match(readFileSync(join(repoRoot, 'README.md'), 'utf8'), /^npx pnpm test$/m);
  assert.is(uvuCommand, 'uvu . "dist/.*[.]test[.]js$"');
});

test('a suite whose hooks pass exits 0: the cases below can tell red from green', () => {
  const fixture = project(`test.before(() => {});\ntest.after(() => {});\n${twoTests}`);
  try {
    const result = run(fixture.dir, 'npx --no-install uvu . "dist/.*[.]test[.]js$"');
    assert.is(result.code, 0, result.output);
    assert.match(result.output, /Passed: +2/);
  } finally {
    fixture.cleanup();
  }
});

test('a before hook that throws fails `npx uvu` and the README\'s test command, with its error; the after hook still runs', () => {
  const fixture = project(`test.before(() => { throw new Error('the fixture could not be built'); });\ntest.after(() => console.log('after ran'));\n${twoTests}`);
  try {
    for (const command of ['npx --no-install uvu', uvuCommand!]) {
      const result = run(fixture.dir, command);
      assert.is(result.code, 1, `${command}:\n${result.output}`);
      assert.match(result.output, /FAIL +"before hook"\n +the fixture could not be built/, command);
      assert.match(result.output, /\(0 \/ 2\)/, command);
      assert.match(result.output, /after ran/, command);
    }
  } finally {
    fixture.cleanup();
  }
});

test('an after hook, or an after.each hook (failing the test it follows), that throws fails the run with its error', () => {
  for (const [hook, title] of [['test.after', 'after hook'], ['test.after.each', 'one']] as const) {
    const fixture = project(`${hook}(() => { throw new Error('cleanup broke'); });\n${twoTests}`);
    try {
      const result = run(fixture.dir, uvuCommand!);
      assert.is(result.code, 1, `${hook}:\n${result.output}`);
      assert.match(result.output, new RegExp(`FAIL +"${title}"\\n +cleanup broke`), `${hook}:\n${result.output}`);
    } finally {
      fixture.cleanup();
    }
  }
});

test('a missing tool stops the run before any test, named once with the command that installs it', () => {
  const fixture = project(`import { checkShellScript } from '@pyrepo/testing';\ntest('uses shellcheck', () => assert.equal(checkShellScript('x.sh'), []));`);
  try {
    writeFileSync(join(fixture.dir, 'dist', 'y.test.js'), "import { test } from 'uvu';\nimport '@pyrepo/testing';\ntest('another', () => {});\ntest.run();\n");
    mkdirSync(join(fixture.dir, 'node_modules', '@pyrepo'));
    symlinkSync(join(repoRoot, 'packages', 'testing'), join(fixture.dir, 'node_modules', '@pyrepo', 'testing'));
    // A PATH with node and the shell only: every Debian tool the checks run is missing from it.
    const bin = join(fixture.dir, 'bin');
    mkdirSync(bin);
    for (const program of ['node', 'sh', 'env']) symlinkSync(program === 'node' ? process.execPath : `/usr/bin/${program}`, join(bin, program));
    const result = spawnSync(process.execPath, [join(fixture.dir, 'node_modules', '.bin', 'uvu'), '.', 'dist/.*[.]test[.]js$'], { cwd: fixture.dir, encoding: 'utf8', env: { PATH: bin, NO_COLOR: '1' }, timeout: 60_000 });
    const output = `${result.stdout}${result.stderr}`;
    assert.is(result.status, 1, output);
    assert.match(output, /Debian tools that are missing: [^\n]*\bshellcheck\b/);
    assert.match(output, /sudo apt-get update && sudo apt-get install -y --no-install-recommends [^\n]*\bshellcheck\b[^\n]*\bgroovy\b/);
    assert.is(output.match(/Debian tools that are missing/g)!.length, 1, 'named once');
    assert.not.match(output, /Total:|uses shellcheck|another/, 'no test ran');
  } finally {
    fixture.cleanup();
  }
});

test.run();
