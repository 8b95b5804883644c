// pip.conf as a build secret with either Compose: the compose file stays one that docker-compose
// 1.29 (Debian 12's) reads, names the image the README's docker build makes, and the README's
// Compose v2 build-secret file is the one 1.29 refuses (so it must stay a file of its own).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkCompose, checkDockerfile, fencedBlocks, readmeSection, runPyrepo } from '@pyrepo/testing';

/** Debian's docker-compose 1.29 (scripts/ensure-tools.mjs installs it), on the given files: its normalized output, or its error. */
function composeConfig(dir: string, files: string[]): { status: number | null; output: string } {
  const result = spawnSync('docker-compose', [...files.flatMap(file => ['-f', file]), 'config'], { cwd: dir, encoding: 'utf8', env: { ...process.env, COMPOSE_PROJECT_NAME: 'shop' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('with pip.conf: docker-compose 1.29 reads the compose file, which runs the image the README builds with the secret; the README\'s Compose v2 secret file is refused by 1.29, as it says', async () => {
  const run = await runPyrepo({ generators: ['pip-config', 'docker-dev'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application', indexUrl: 'https://pypi.example.com/simple' } });
  try {
    assert.equal(checkCompose(run.dir), []);
    const config = composeConfig(run.dir, ['docker-compose.yaml']);
    assert.is(config.status, 0, config.output);

    const section = readmeSection(run.read('README.md'), 'docker-dev');
    const [commands] = fencedBlocks(section, 'sh');
    assert.ok(commands, 'the README gives the commands');
    const build = commands.split('\n').find(line => /\bdocker build\b/.test(line));
    assert.ok(build, `the README builds the image with Docker: ${commands}`);
    const mountId = run.read('docker/app/dev.Dockerfile').match(/--mount=type=secret,id=([^,\s]+)/)?.[1];
    assert.ok(mountId && build.includes(`--secret id=${mountId},src=pip.conf`), 'docker build passes the secret the Dockerfile mounts');
    const tag = build.match(/ -t (\S+)/)?.[1];
    // What Compose runs: the normalized file, as 1.29 reads it.
    assert.match(config.output, new RegExp(`^    image: ${tag}$`, 'm'), 'the compose service runs the image docker build tagged');
    assert.match(commands, /^docker compose up --no-build$/m, 'Compose only runs it: a build by Compose 1.x would lack the secret');
    assert.equal(checkDockerfile(run.read('docker/app/dev.Dockerfile')), []);

    const [secretFile] = fencedBlocks(section, 'yaml');
    const secretFileName = section.match(/-f docker-compose\.yaml -f (\S+) build/)?.[1];
    assert.ok(secretFile && secretFileName, 'the README gives the Compose v2 build-secret file and how to use it');
    writeFileSync(join(run.dir, secretFileName), secretFile);
    const refused = composeConfig(run.dir, ['docker-compose.yaml', secretFileName]);
    assert.is.not(refused.status, 0);
    assert.match(refused.output, /services\.app\.build contains unsupported option: 'secrets'/);
    assert.match(secretFile, new RegExp(`secrets: \\[${mountId!.replace('.', '\\.')}\\]`), 'the build secret is the one the Dockerfile mounts');
    assert.match(secretFile, new RegExp(`^  ${mountId!.replace('.', '\\.')}:\\n    file: \\./pip\\.conf$`, 'm'), 'read from the repository\'s pip.conf');
  } finally {
    run.cleanup();
  }
});

test.run();
