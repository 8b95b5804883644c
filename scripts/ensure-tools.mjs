// The Debian tools the test suite checks generated files with (the table: packages/testing/tools.mjs;
// see docs/testing.md). Missing ones are installed when running as root with apt-get (CI, fresh
// machines); otherwise the command to run is printed and the test run stops before it starts.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { installCommand, missingPackages } from '../packages/testing/tools.mjs';

const missing = missingPackages();
if (missing.length === 0) process.exit(0);

const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.error(`The tests check generated files with Debian tools that are missing: ${missing.join(', ')}.\nInstall them, then run the tests again:\n  ${installCommand(missing)}`);
  process.exit(1);
}
console.error(`Installing the Debian tools the tests use: ${missing.join(' ')}`);
const run = args => execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
run(['update', '-qq']);
run(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
const still = missingPackages();
if (still.length > 0) {
  console.error(`Still missing after apt-get install: ${still.join(', ')}`);
  process.exit(1);
}
