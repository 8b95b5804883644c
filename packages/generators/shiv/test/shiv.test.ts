import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkShellScript, runPyrepo } from '@pyrepo/testing';

test('build-pyz.sh: shiv with the package\'s entry point and the shipped requirements; shellcheck-clean', async () => {
  const run = await runPyrepo({ generators: ['setuptools', 'shiv'], values: { name: 'stock', framework: 'fastapi', asgiApp: 'stock.main:app', sourceRoot: 'src', layout: 'single', shebang: '/usr/bin/python3.12' } });
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/build-pyz.sh')), []);
    assert.match(run.read('scripts/build-pyz.sh'), /-m shiv --compressed --python '\/usr\/bin\/python3\.12' --entry-point stock\.main:main \\\n    --output-file dist\/stock\.pyz \. -r requirements\.txt/);
    assert.match(run.read('requirements-dev.txt'), /^shiv==1\.0\.8$/m);
    assert.not.match(run.read('requirements.txt'), /shiv/, 'a build tool stays out of what production installs');
    assert.not.match(run.log, /setup\.py, which is missing/);
  } finally {
    run.cleanup();
  }
});

test('without setup.py it says what is missing; without an entry point it is refused', async () => {
  const run = await runPyrepo({ generators: ['shiv'], values: { name: 'stock', framework: 'fastapi', asgiApp: 'stock.main:app', sourceRoot: 'src' } });
  try {
    assert.match(run.log, /shiv: it installs the application with pip, from setup\.py, which is missing/);
  } finally {
    run.cleanup();
  }
  try {
    await runPyrepo({ generators: ['shiv'], values: { name: 'x', framework: 'django', settingsModule: 'x.settings.prod', devSettingsModule: 'x.settings.dev', wsgiApp: 'x.wsgi:application' } });
    assert.unreachable('accepted django');
  } catch (error) {
    assert.match((error as Error).message, /shiv needs a console entry point/);
  }
});

test.run();
