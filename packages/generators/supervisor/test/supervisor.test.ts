import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { python, runPyrepo, runTool, tempDir } from '@pyrepo/testing';

test('supervisord loads the program: the venv\'s python, the release folder, the user, the environment', async () => {
  const run = await runPyrepo({ generators: ['supervisor'], values: { name: 'hello', framework: 'tornado', venvDir: 'env', appUser: 'nobody', listen: '0.0.0.0', port: 9000 } });
  const work = tempDir('pyrepo-supervisord-');
  try {
    const conf = join(work, 'supervisord.conf');
    writeFileSync(conf, `[supervisord]\nlogfile=${work}/s.log\npidfile=${work}/s.pid\n\n[include]\nfiles = ${join(run.dir, 'deploy/supervisor/hello.conf')}\n`);
    const script = [
      'import sys',
      'from supervisor.options import ServerOptions',
      'options = ServerOptions()',
      'options.realize(args=["-c", sys.argv[1]])',
      'p = options.process_group_configs[0].process_configs[0]',
      'print(p.command); print(p.directory); print(p.uid); print(p.autorestart); print(sorted(p.environment.items()))',
    ].join('\n');
    const [command, directory, uid, autorestart, environment] = runTool(python, ['-c', script, conf]).trim().split('\n');
    assert.is(command, '/srv/hello/current/env/bin/python server.py');
    assert.is(directory, '/srv/hello/current');
    assert.is(uid, '65534');
    assert.is(autorestart, "<class 'supervisor.datatypes.RestartUnconditionally'>");
    assert.is(environment, "[('HOST', '0.0.0.0'), ('PATH', '/srv/hello/current/env/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'), ('PORT', '9000'), ('VIRTUAL_ENV', '/srv/hello/current/env')]");
  } finally {
    run.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
});

test('a WSGI application is refused (it runs under uWSGI)', async () => {
  try {
    await runPyrepo({ generators: ['supervisor'], values: { name: 'x', framework: 'flask', wsgiApp: 'app:app' } });
    assert.unreachable('accepted flask');
  } catch (error) {
    assert.match((error as Error).message, /runs under uWSGI/);
  }
});

test.run();
