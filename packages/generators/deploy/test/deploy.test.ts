import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkShellScript, runPyrepo, runTool } from '@pyrepo/testing';

test('deploy.sh passes shellcheck; --dry-run prints the upload, unpack, switch and restart for the project', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc' } });
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/deploy.sh')), []);
    const printed = runTool('scripts/deploy.sh', ['--dry-run', 'svc-1.2.0.tar.gz', 'ops@web1'], { cwd: run.dir });
    assert.is(
      printed,
      [
        'scp -q svc-1.2.0.tar.gz ops@web1:/tmp/svc-1.2.0.tar.gz',
        'ssh ops@web1 set -eu; mkdir -p /srv/svc/releases/svc-1.2.0; tar -xzf /tmp/svc-1.2.0.tar.gz -C /srv/svc/releases/svc-1.2.0 --strip-components=1; rm -f /tmp/svc-1.2.0.tar.gz; ln -sfn /srv/svc/releases/svc-1.2.0 /srv/svc/current; sudo systemctl restart svc',
        'deployed svc-1.2.0 to ops@web1',
        '',
      ].join('\n'),
    );
  } finally {
    run.cleanup();
  }
});

test('bad arguments: a usage line and exit 2, nothing run', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc' } });
  try {
    for (const args of [[], ['only-one'], ['--dry-run', 'a b.tar.gz', 'host'], ['missing.tar.gz', 'host']]) {
      try {
        runTool('scripts/deploy.sh', args, { cwd: run.dir });
        assert.unreachable(args.join(' '));
      } catch (error) {
        assert.match((error as Error).message, /failed \(2\)/);
        assert.match((error as Error).message, /usage: |not a release archive name|no such archive/);
      }
    }
  } finally {
    run.cleanup();
  }
});

test.run();
