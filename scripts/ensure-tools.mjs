// The Debian tools the test suite checks generated files with (the table: packages/testing/tools.mjs;
// see docs/testing.md). Missing ones are installed when running as root with apt-get (CI, fresh
// machines), waiting for a package manager lock another process holds; otherwise the command to
// run is printed and the test run stops before it starts.
import { existsSync } from 'node:fs';
import { installCommand, missingPackages } from '../packages/testing/tools.mjs';
import { aptGet } from './apt-get.mjs';

const missing = missingPackages();
if (missing.length === 0) process.exit(0);

const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.error(`The tests check generated files with Debian tools that are missing: ${missing.join(', ')}.\nInstall them, then run the tests again:\n  ${installCommand(missing)}`);
  process.exit(1);
}
console.error(`Installing the Debian tools the tests use: ${missing.join(' ')}`);
const retry = installCommand(missing);
aptGet(['update', '-qq'], { retry });
aptGet(['install', '-y', '-qq', '--no-install-recommends', ...missing], { retry });
const still = missingPackages();
if (still.length > 0) {
  console.error(`Still missing after apt-get install: ${still.join(', ')}`);
  process.exit(1);
}
