// .env.example cannot drift from the code: every variable the generated application and its
// production entrypoint read is listed, and nothing else is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runPyrepo } from '@pyrepo/testing';
import { presetNames } from './helpers/walk.js';

/** Variables read by Python (os.environ, os.getenv, the Django settings' required()) and by shell (${NAME...}). */
function variablesRead(files: Record<string, string>): Set<string> {
  const read = new Set<string>();
  for (const [path, text] of Object.entries(files)) {
    // Tests, packaging and the developers' scripts are not what production runs.
    if (/^(tests|scripts)\//.test(path) || path === 'setup.py' || path.startsWith('.')) continue;
    const patterns = path.endsWith('.py')
      ? [/os\.environ(?:\.get|\.setdefault|\.pop)?[([]\s*"([A-Za-z_][A-Za-z0-9_]*)"/g, /os\.getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"/g, /\brequired\(\s*"([A-Za-z_][A-Za-z0-9_]*)"/g]
      : path.endsWith('entrypoint.sh')
        ? [/\$\{([A-Za-z_][A-Za-z0-9_]*)/g]
        : [];
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) read.add(match[1]!);
  }
  return read;
}

const listed = (envExample: string) => new Set([...envExample.matchAll(/^(?:# )?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map(match => match[1]!));

for (const preset of presetNames) {
  test(`${preset}: .env.example lists exactly the variables production reads, required ones set, and the README points to it`, async () => {
    const run = await runPyrepo({ preset, values: { name: 'demo', skipGit: true } });
    try {
      const files = run.files();
      const envExample = files['.env.example']!;
      assert.ok(envExample, '.env.example is written');
      assert.equal([...listed(envExample)].sort(), [...variablesRead(files)].sort());
      for (const [, comment, name] of envExample.matchAll(/^# (Required|Optional): .*\n(?:# )?([A-Za-z_]\w*)=/gm)) {
        assert.is(new RegExp(`^${name}=`, 'm').test(envExample), comment === 'Required', `${name}: required ones are set, optional ones commented out`);
      }
      assert.match(files['README.md']!, /`\.env\.example`/);
      assert.match(files['.gitignore']!, /^!\/\.env\.example$/m);
    } finally {
      run.cleanup();
    }
  });
}

test.run();
