// apt-get for scripts/ensure-tools.mjs: another process (unattended-upgrades, a second apt) may
// hold the package manager's lock; the install waits for it, saying so, for a bounded time.
import { spawnSync } from 'node:child_process';

const lockHeld = /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock directory/;

/** Sleep synchronously (the script has nothing else to do meanwhile). */
const sleep = ms => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Run `apt-get <args>`; while the lock is held, wait (every `pollSeconds`) up to `lockWaitSeconds`
 * in all. Returns nothing when it succeeds; otherwise prints what went wrong, with `retry` (the
 * command to run later), and exits 1: no stack trace.
 */
export function aptGet(args, { lockWaitSeconds = 300, pollSeconds = 5, retry } = {}) {
  const deadline = Date.now() + lockWaitSeconds * 1000;
  let waiting = false;
  for (;;) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status === 0) return;
    const held = lockHeld.test(result.stderr ?? '');
    if (held && Date.now() < deadline) {
      if (!waiting) console.error(`Another process holds the package manager's lock (apt, dpkg or unattended-upgrades): waiting for it, at most ${lockWaitSeconds} s...`);
      waiting = true;
      sleep(pollSeconds * 1000);
      continue;
    }
    process.stderr.write(result.stderr ?? '');
    const why = result.error ? result.error.message : held ? `the package manager's lock was still held after ${lockWaitSeconds} s` : `it exited with ${result.status}`;
    console.error(`apt-get ${args.join(' ')} failed: ${why}.${retry ? `\nRun it again once that is solved:\n  ${retry}` : ''}`);
    process.exit(1);
  }
}
