// Vendored packages win over the system's, where production runs them: Debian's uWSGI under the
// unit, with Debian's python3-flask installed system-wide (dist-packages) at another version.
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyOf, offlinePip, onFreePort, packWheel, python, readTree, runPyrepo, runTool, startSystemdUnit, stopQuickly, tempDir, type RunPyrepoResult } from '@pyrepo/testing';

let run: RunPyrepoResult;
let wheels: string;
let systemFlask: { dir: string; version: string };
let pinned: string;

test.before(async () => {
  run = await runPyrepo({ preset: 'flask-vendored', values: { name: 'shop', python: '3.11' } });
  const [dir, version] = runTool(python, ['-c', 'import importlib.metadata, os, flask; print(os.path.dirname(flask.__file__)); print(importlib.metadata.version("flask"))']).trim().split('\n');
  systemFlask = { dir: dir!, version: version! };
  pinned = /^flask==(\S+)$/im.exec(run.read('requirements-app.txt'))![1]!;
  // No PyPI: the vendored Flask is Debian's own code in a wheel of the version the app pins, so
  // only the import path decides which of the two copies answers.
  wheels = tempDir('pyrepo-wheels-');
  const sources = Object.fromEntries(Object.entries(readTree(systemFlask.dir)).filter(([path]) => !path.includes('__pycache__')).map(([path, text]) => [`flask/${path}`, text]));
  packWheel(wheels, 'Flask', pinned, sources);
  // A package whose .pth file names a folder of its own: addsitedir must still process it.
  packWheel(wheels, 'pthdep', '1.0', { 'pthdep.pth': 'pthdep_lib\n', 'pthdep_lib/pthmod.py': 'WHERE = "pthdep_lib"\n' });
});

test.after(() => {
  run?.cleanup();
  rmSync(wheels, { recursive: true, force: true });
});

test('the vendored Flask, not Debian\'s python3-flask in dist-packages, answers under the unit\'s uWSGI; vendors/ and the folders its .pth files add come before dist-packages', async () => {
  assert.ok(systemFlask.dir.includes('dist-packages'), `the system's Flask is installed system-wide (${systemFlask.dir})`);
  assert.is.not(systemFlask.version, pinned, 'the system\'s Flask is another version than the vendored one');
  const copy = copyOf(run.dir);
  const release = tempDir('pyrepo-release-');
  const env = { PATH: process.env.PATH, PYTHON: python, PYTHONDONTWRITEBYTECODE: '1', ...offlinePip(wheels) };
  try {
    // The lock as scripts/freeze-requirements.sh writes it; then the release as the pipeline builds it.
    writeFileSync(join(copy.dir, 'requirements.txt'), `${copy.read('requirements.txt')}Flask==${pinned}\npthdep==1.0\n`);
    runTool('scripts/vendor.sh', [], { cwd: copy.dir, env });
    runTool(python, ['-m', 'build', '--sdist', '--no-isolation', '--outdir', 'dist'], { cwd: copy.dir, env });
    const archive = readdirSync(join(copy.dir, 'dist')).find(file => file.endsWith('.tar.gz'))!;
    execFileSync('tar', ['-xzf', join(copy.dir, 'dist', archive), '-C', release, '--strip-components=1']);
    // A route that reports what the application imported; the code before it is the generated app.py.
    appendFileSync(join(release, 'app.py'), [
      '',
      '',
      '@app.route("/imports")',
      'def imports():',
      '    import importlib.metadata',
      '    import flask',
      '    import sys',
      '    import pthmod',
      '    return jsonify(flask=flask.__file__, version=importlib.metadata.version("flask"), pthmod=pthmod.__file__, path=sys.path)',
      '',
    ].join('\n'));
    const unit = join(run.dir, 'deploy/shop.service');
    const server = await onFreePort(port => startSystemdUnit(unit, { release, env: { UWSGI_HTTP_SOCKET: `127.0.0.1:${port}` }, url: `http://127.0.0.1:${port}/` }));
    try {
      assert.equal(await (await fetch(server.url)).json(), { message: 'hello world' }, server.output());
      const seen = (await (await fetch(new URL('/imports', server.url))).json()) as { flask: string; version: string; pthmod: string; path: string[] };
      const inRelease = (path: string) => relative(release, path);
      assert.is(inRelease(seen.flask), 'vendors/flask/__init__.py', `Flask imported from ${seen.flask}`);
      assert.is(seen.version, pinned);
      assert.is(inRelease(seen.pthmod), 'vendors/pthdep_lib/pthmod.py', 'the .pth file was processed');
      const at = (folder: string) => seen.path.findIndex(entry => entry.endsWith(folder));
      const distPackages = seen.path.findIndex(entry => entry.includes('dist-packages') || entry.includes('site-packages'));
      assert.ok(at('/vendors') === 0 && at('/vendors/pthdep_lib') > 0 && at('/vendors/pthdep_lib') < distPackages, `sys.path: ${seen.path.join(' ')}`);
    } finally {
      await stopQuickly(server);
    }
  } finally {
    rmSync(release, { recursive: true, force: true });
    copy.cleanup();
  }
});

test.run();
