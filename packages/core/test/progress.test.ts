import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runStepWithProgress, setProgressOutput } from '../src/progress.js';

// uvu forces colours in its own process: these tests are about a pipe, which gets none.
delete process.env.FORCE_COLOR;

/** Run one step through the progress display into a pipe; what the pipe received. */
async function shown(script: string, verbose = false): Promise<{ ok: boolean; text: string }> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  setProgressOutput({ stream, verbose });
  try {
    const ok = await runStepWithProgress({ name: 'demo', what: 'run the script', command: 'sh', args: ['-c', script], cwd: '/tmp' });
    return { ok, text };
  } finally {
    setProgressOutput({});
  }
}

const lines = (count: number, stream = '') => `i=1; while [ $i -le ${count} ]; do echo "line $i" ${stream}; i=$((i+1)); done`;

test('a step that succeeds: a timestamped line when it starts, one with its time when it ends; its output is not shown', async () => {
  const { ok, text } = await shown(`${lines(3)}; echo warning >&2`);
  assert.ok(ok);
  assert.match(text, /^\d\d:\d\d:\d\d demo: run the script \.\.\.\n\d\d:\d\d:\d\d ✔ demo: run the script \(\d+\.\ds\)\n$/);
});

test('a step that fails: its own output (stdout and stderr), the reason, and the command to run later', async () => {
  const { ok, text } = await shown(`${lines(2)}; echo "the reason" >&2; exit 3`);
  assert.not.ok(ok);
  assert.match(text, /✖ demo: could not run the script \(exit code 3, after \d+\.\ds\):\n    line 1\n    line 2\n    the reason\n  Run it yourself later: cd \/tmp && sh -c /);
});

test('a long output is cut to its last 40 lines, saying how many were left out', async () => {
  const { text } = await shown(`${lines(100, '>&2')}; exit 1`);
  assert.match(text, /\n    \.\.\. \(60 earlier lines; --verbose shows them all\)\n    line 61\n/);
  assert.match(text, /    line 100\n  Run it yourself later/);
  assert.not.match(text, /line 60\n/);
});

test('--verbose shows the output as it comes, once', async () => {
  const succeeded = await shown(lines(2), true);
  assert.match(succeeded.text, /demo: run the script \.\.\.\n    line 1\n    line 2\n.*✔ demo: run the script/, succeeded.text);
  const failed = await shown(`${lines(2)}; exit 2`, true);
  assert.is(failed.text.match(/line 1/g)?.length, 1, failed.text);
});

test('a program that cannot start is reported as a failed step, not thrown', async () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  setProgressOutput({ stream });
  try {
    const ok = await runStepWithProgress({ name: 'demo', what: 'run nothing', command: '/nonexistent/program', args: [], cwd: '/tmp' });
    assert.not.ok(ok);
    assert.match(text, /✖ demo: could not run nothing \(spawn \/nonexistent\/program ENOENT, after/, text);
  } finally {
    setProgressOutput({});
  }
});

test.run();
