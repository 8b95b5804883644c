import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSystemdUnit, runPyrepo, systemdExposure } from '@pyrepo/testing';

test('the unit passes systemd-analyze verify and rates "OK" (1.1) on security, running uWSGI from the current release', async () => {
  const run = await runPyrepo({ generators: ['systemd'], values: { name: 'shop', framework: 'flask', wsgiApp: 'app:app', appUser: 'shopd', port: 9000 } });
  try {
    const unit = join(run.dir, 'deploy/shop.service');
    assert.equal(checkSystemdUnit(unit), []);
    assert.is(systemdExposure(unit), 1.1);
    const text = run.read('deploy/shop.service');
    for (const line of ['User=shopd', 'Group=shopd', 'WorkingDirectory=/srv/shop/current', 'Environment=UWSGI_HTTP_SOCKET=127.0.0.1:9000', 'ExecStart=/usr/bin/uwsgi --ini /srv/shop/current/uwsgi.ini', 'Restart=on-failure', 'NoNewPrivileges=yes', 'ProtectSystem=strict']) {
      assert.match(text, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), line);
    }
  } finally {
    run.cleanup();
  }
});

test('a Django unit keeps a state directory, the one folder ProtectSystem=strict leaves writable, and chooses no database (DATABASE_URL comes from the env file)', async () => {
  const run = await runPyrepo({ generators: ['systemd'], values: { name: 'blog', framework: 'django', settingsModule: 'blog.settings.prod', devSettingsModule: 'blog.settings.dev', wsgiApp: 'blog.wsgi:application' } });
  try {
    const text = run.read('deploy/blog.service');
    assert.match(text, /^StateDirectory=blog$/m);
    assert.not.match(text, /DATABASE_URL|SQLITE/);
    assert.match(text, /^EnvironmentFile=-\/etc\/blog\/blog\.env$/m);
    assert.equal(checkSystemdUnit(join(run.dir, 'deploy/blog.service')), []);
  } finally {
    run.cleanup();
  }
});

test('a unit with an unknown key fails the check (systemd-analyze prints, exits 0)', async () => {
  const run = await runPyrepo({ generators: ['systemd'], values: { name: 'shop', framework: 'flask', wsgiApp: 'app:app' } });
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(run.dir, 'deploy/shop.service'), run.read('deploy/shop.service').replace('Restart=on-failure', 'Restart=on-failure\nRestartEverything=yes'));
    assert.match(checkSystemdUnit(join(run.dir, 'deploy/shop.service')).join('\n'), /RestartEverything/);
  } finally {
    run.cleanup();
  }
});

test('the unit of a zipapp names the exact Python it is built for', async () => {
  const run = await runPyrepo({ generators: ['systemd'], values: { name: 'stock', framework: 'fastapi', asgiApp: 'stock.main:app', sourceRoot: 'src', python: '3.12', run: 'zipapp' } });
  try {
    assert.match(run.read('deploy/stock.service'), /^ExecStart=\/usr\/bin\/python3\.12 \/srv\/stock\/current\/stock\.pyz$/m);
  } finally {
    run.cleanup();
  }
});

test.run();
