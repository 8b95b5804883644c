import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { python, runPyrepo, runTool } from '@pyrepo/testing';

const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };
const sdist = (dir: string) => {
  runTool(python, ['-m', 'build', '--sdist', '--no-isolation', '--outdir', 'dist'], { cwd: dir, env });
  const archive = readdirSync(join(dir, 'dist')).find(file => file.endsWith('.tar.gz'))!;
  return { archive, members: execFileSync('tar', ['-tzf', join(dir, 'dist', archive)], { encoding: 'utf8' }).split('\n').map(line => line.replace(/^[^/]+\//, '')) };
};

test('for Django, what seed 003 shows: find_packages, manage.py as a script, templates and static files, install_requires and a tests extra', async () => {
  const run = await runPyrepo({
    generators: ['requirements', 'django', 'setuptools'],
    values: { name: 'blog', framework: 'django', python: '3.11', packageVersion: '2.1.0', description: 'A blog' },
    files: { 'blog/templates/blog/page.html': '<p>page</p>\n', 'blog/static/blog/site.css': 'p {}\n' },
  });
  try {
    const setup = run.read('setup.py');
    assert.match(setup, /packages=find_packages\(exclude=\["tests", "tests\.\*"\]\),\n    scripts=\["manage\.py"\],\n    include_package_data=True,/);
    assert.match(setup, /install_requires=requirements\("requirements\/base\.txt"\),\n    extras_require=\{\n        "tests": requirements\("requirements\/ci\.txt"\),\n        "prod": requirements\("requirements\/prod\.txt"\),\n    \},/);
    assert.is(runTool(python, ['setup.py', '--version'], { cwd: run.dir, env }).trim().split('\n').at(-1), '2.1.0');
    const requires = runTool(python, ['-c', 'import runpy, setuptools, sys\nsetuptools.setup = lambda **kw: print(kw["install_requires"], kw["extras_require"])\nrunpy.run_path("setup.py")'], { cwd: run.dir, env });
    assert.match(requires, /\['Django~=5\.2\.0'\] \{'tests': \['pytest-django==4\.14\.0', 'build==1\.6\.1'\], 'prod': \[\]\}/);
    const { members } = sdist(run.dir);
    for (const member of ['manage.py', 'blog/settings/prod.py', 'blog/templates/blog/page.html', 'blog/static/blog/site.css', 'requirements/base.txt', 'setup.py']) {
      assert.ok(members.includes(member), member);
    }
    assert.not.ok(members.some(member => member.startsWith('tests/')));
  } finally {
    run.cleanup();
  }
});

test('for Flask without vendoring: the module, its configuration file, no vendors', async () => {
  const run = await runPyrepo({ generators: ['requirements', 'flask', 'setuptools'], values: { name: 'shop', framework: 'flask', layout: 'app-dev-frozen' } });
  try {
    assert.match(run.read('setup.py'), /py_modules=\["app"\],/);
    assert.not.match(run.read('MANIFEST.in'), /graft/);
    const { members } = sdist(run.dir);
    for (const member of ['app.py', 'shop.conf', 'requirements-app.txt']) assert.ok(members.includes(member), member);
  } finally {
    run.cleanup();
  }
});

test('the version must be a release version', async () => {
  try {
    await runPyrepo({ generators: ['setuptools'], values: { name: 'x', framework: 'flask', packageVersion: '1.0; rm -rf' } });
    assert.unreachable('accepted a bad version');
  } catch (error) {
    assert.match((error as Error).message, /--package-version of generator "setuptools": must be a PEP 440 release version/);
  }
});

test('the description reaches setup.py and PKG-INFO only as one line of printable text: C1 controls, bidirectional overrides and separators are refused', async () => {
  for (const description of ['evil\u202Etxt', 'a\u0085b', 'a\u009b31mb', 'a\u2028b', 'zero\u200Bwidth', 'a\u0007b']) {
    try {
      await runPyrepo({ generators: ['requirements', 'flask', 'setuptools'], values: { name: 'shop', framework: 'flask', description } });
      assert.unreachable(JSON.stringify(description));
    } catch (error) {
      assert.match((error as Error).message, /Invalid option --description of generator "setuptools": must be one line of at most 200 characters, without control or format characters/, JSON.stringify(description));
    }
  }
});

test.run();
