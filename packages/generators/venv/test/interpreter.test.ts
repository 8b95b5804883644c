import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runTool, tempDir } from '@pyrepo/testing';
import { findInterpreter } from '../src/interpreter.js';

// Debian's interpreter stands in for every kind of install; each test names its version after it.
const system = runTool('/usr/bin/python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])']).trim();
const minor = system.split('.').slice(0, 2).join('.');
const named = `python${minor}`;

/** A program at `path` that, if it ever runs, leaves a marker beside it. */
function trap(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\ntouch "${path}.ran"\n`);
  chmodSync(path, 0o755);
  return `${path}.ran`;
}

function interpreterAt(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  symlinkSync('/usr/bin/python3', path);
}

test(`the project's Python on PATH is taken first; shim folders and relative PATH entries are never run`, () => {
  const machine = tempDir('pyrepo-interpreters-');
  try {
    const shim = trap(join(machine, '.pyenv', 'shims', named));
    const local = trap(join(machine, 'repository', named));
    interpreterAt(join(machine, 'bin', named));
    const env = { HOME: machine, PATH: [join(machine, '.pyenv', 'shims'), '.', '', join(machine, 'bin')].join(':') };
    const previous = process.cwd();
    process.chdir(join(machine, 'repository'));
    try {
      const choice = findInterpreter(minor, env);
      assert.equal(choice, { interpreter: { path: join(machine, 'bin', named), command: named, version: system, source: 'PATH' } });
    } finally {
      process.chdir(previous);
    }
    assert.not.ok(existsSync(shim), 'the shim did not run');
    assert.not.ok(existsSync(local), 'the repository\'s program did not run');
  } finally {
    rmSync(machine, { recursive: true, force: true });
  }
});

test('then the newest pyenv-installed patch release, then a uv-installed one', () => {
  const machine = tempDir('pyrepo-interpreters-');
  try {
    interpreterAt(join(machine, '.pyenv', 'versions', `${minor}.1`, 'bin', named));
    interpreterAt(join(machine, '.pyenv', 'versions', `${minor}.40`, 'bin', named));
    const devBuild = trap(join(machine, '.pyenv', 'versions', `${minor}-dev`, 'bin', named));
    const env = { HOME: machine, PATH: join(machine, 'empty') };
    assert.equal(findInterpreter(minor, env).interpreter, { path: join(machine, '.pyenv', 'versions', `${minor}.40`, 'bin', named), command: `~/.pyenv/versions/${minor}.40/bin/${named}`, version: system, source: 'pyenv' });
    assert.not.ok(existsSync(devBuild), 'only release folders are looked in');
    rmSync(join(machine, '.pyenv'), { recursive: true });
    interpreterAt(join(machine, 'uv', `cpython-${minor}.7-linux-x86_64-gnu`, 'bin', named));
    assert.equal(findInterpreter(minor, { ...env, UV_PYTHON_INSTALL_DIR: join(machine, 'uv') }).interpreter, { path: join(machine, 'uv', `cpython-${minor}.7-linux-x86_64-gnu`, 'bin', named), command: `~/uv/cpython-${minor}.7-linux-x86_64-gnu/bin/${named}`, version: system, source: 'uv' });
  } finally {
    rmSync(machine, { recursive: true, force: true });
  }
});

test('a program named like the version that is another version is passed over; without the version, python3 with the reason', () => {
  const machine = tempDir('pyrepo-interpreters-');
  try {
    interpreterAt(join(machine, 'bin', 'python3.14'));
    interpreterAt(join(machine, 'bin', 'python3'));
    const choice = findInterpreter('3.14', { HOME: machine, PATH: join(machine, 'bin') });
    assert.equal(choice.interpreter, { path: join(machine, 'bin', 'python3'), command: 'python3', version: system, source: 'PATH' });
    assert.is(choice.fallbackReason, 'no python3.14 was found on PATH (shim folders skipped), in pyenv (~/.pyenv/versions) or in uv (~/.local/share/uv/python)');
    assert.equal(findInterpreter('3.14', { HOME: machine, PATH: join(machine, 'none') }), { fallbackReason: choice.fallbackReason });
  } finally {
    rmSync(machine, { recursive: true, force: true });
  }
});

test.run();
