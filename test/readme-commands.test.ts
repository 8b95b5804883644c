// Each preset's README commands work as written: the virtual environment, the run (and migrate)
// commands and the tests, taken from the generated README's fenced blocks and its tooling table
// (never a copy here), run in the generated repository, offline. Debian's packages stand in for
// PyPI: the venv gets --system-site-packages and its `pip install` line is skipped (it needs the
// network; tests elsewhere install the pins from wheels they build). Every server runs in a
// network namespace of its own, so the README's fixed address (127.0.0.1:8000) is free whatever
// else runs on this machine; as uid 1000 when the suite runs as root.
import { chownSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fencedBlocks, readmeSection, runPyrepo, serviceUid, tableCommand, tempDir, unprivileged } from '@pyrepo/testing';

/** What a preset's README says to run: the section with the venv, the one with the run commands. */
const presets: { preset: string; run: string }[] = [
  { preset: 'fastapi-shiv', run: 'fastapi' },
  { preset: 'venv-systemd', run: 'tornado' },
  { preset: 'docker-wheels', run: 'django' },
];

/** Hand a generated tree to the user the commands run as (they write the venv and the database). */
function giveTo(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) giveTo(join(path, entry), uid);
}

/**
 * The driver: the venv block runs in this shell (activation lasts), the venv line with
 * --system-site-packages and without its pip install line; then each run command in order, in a
 * process group of its own: one that exits 0 before the URL answers was a one-off (migrate), one
 * that serves is probed (/healthz, then /) and stopped; then the README's test command.
 */
const driver = String.raw`set -eu
ip link set lo up
url=$1; venv_block=$2; run_block=$3; test_command=$4
while IFS= read -r line; do
  case "$line" in
    '') ;;
    pip\ install\ *) echo "skipped (needs PyPI): $line" ;;
    *\ -m\ venv\ *) echo "setup: $line --system-site-packages"; eval "$line --system-site-packages" ;;
    *) echo "setup: $line"; eval "$line" ;;
  esac
done <<EOF
$venv_block
EOF
set -m
while IFS= read -r line; do
  [ -n "$line" ] || continue
  bash -c "$line" >"$HOME/server.log" 2>&1 &
  pid=$!
  tries=0
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      status=0; wait "$pid" || status=$?
      if [ "$status" -ne 0 ]; then echo "failed ($status): $line"; cat "$HOME/server.log"; exit 1; fi
      echo "ran: $line"; break
    fi
    if health=$(curl -s --max-time 5 "$url"healthz); then
      root=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$url")
      echo "served: $line /healthz=$health /=$root"
      kill -TERM -- "-$pid"; wait "$pid" || true
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ]; then echo "neither served nor ended in 60 s: $line"; cat "$HOME/server.log"; kill -KILL -- "-$pid"; exit 1; fi
    sleep 0.1
  done
done <<EOF
$run_block
EOF
set +m
echo "test: $test_command"
eval "$test_command"
echo "tests passed"
`;

for (const { preset, run: runSection } of presets) {
  test(`${preset}: the README's venv, run and test commands work as written (offline, Debian's packages for PyPI's)`, async () => {
    // The Python Debian's packages are for: the README names python3.11, found in /usr/bin.
    const run = await runPyrepo({ preset, values: { name: 'demo', python: '3.11', skipGit: true } });
    const home = tempDir('pyrepo-readme-home-');
    try {
      const readme = run.read('README.md');
      const [venvBlock] = fencedBlocks(readmeSection(readme, 'venv'), 'sh');
      const runSectionText = readmeSection(readme, runSection);
      const [runBlock] = fencedBlocks(runSectionText, 'sh');
      const url = runSectionText.match(/Then open (http:\/\/127\.0\.0\.1:\d+\/)/)?.[1];
      const testCommand = tableCommand(readme, 'Run the tests');
      assert.ok(venvBlock && runBlock && url && testCommand, `the README gives the venv, the run commands, where to open and the test command:\n${readme}`);
      assert.match(venvBlock, /^pip install -r \S+$/m, 'the only line skipped is the pip install');

      writeFileSync(join(home, 'driver.sh'), driver);
      if (process.getuid?.() === 0) {
        giveTo(run.dir, serviceUid);
        giveTo(home, serviceUid);
      }
      const [program, args] = unprivileged('unshare', ['--user', '--map-root-user', '--net', 'bash', join(home, 'driver.sh'), url, venvBlock, runBlock, testCommand]);
      const result = spawnSync(program, args, { cwd: run.dir, encoding: 'utf8', timeout: 600_000, env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: home, LANG: 'C.UTF-8' } });
      const output = `${result.stdout}${result.stderr}`;
      assert.is(result.status, 0, output);
      const runLines = runBlock.split('\n').filter(Boolean);
      const served = [...output.matchAll(/^served: (.*) \/healthz=(.*) \/=(\d+)$/gm)];
      assert.ok(served.length > 0, `a run command serves ${url}:\n${output}`);
      for (const [, line, health, root] of served) {
        assert.is(health, 'ok', `${line}: /healthz answers ok`);
        assert.is(root, '200', `${line}: / answers 200`);
      }
      assert.equal([...output.matchAll(/^(?:ran|served): (.*?)(?: \/healthz=.*)?$/gm)].map(match => match[1]), runLines, `every run command was run, in order:\n${output}`);
      assert.match(output, /^tests passed$/m);
    } finally {
      run.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  });
}

test.run();
