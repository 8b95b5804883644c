// .env.example cannot drift from the code: every variable production's files read or set (the
// application's Python, the entrypoint, uwsgi.ini, the unit, the supervisord program, the image) is
// listed, and nothing else is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runPyrepo } from '@pyrepo/testing';
import { presetNames } from './helpers/walk.js';

const variableName = '([A-Za-z_][A-Za-z0-9_]*)';

/** A Dockerfile's or an ini's logical lines: continuation backslashes joined. */
const logicalLines = (text: string): string[] => text.replace(/\\\n/g, ' ').split('\n');

/**
 * The variables each kind of production file reads or sets, by how that file names them: Python
 * (os.environ, os.getenv, the Django settings' required()), shell (${NAME...}), uwsgi.ini
 * (if-env/if-not-env and $(NAME)), a systemd unit (Environment= and $NAME in its commands), a
 * supervisord program (environment= and %(ENV_NAME)s), a production Dockerfile (ENV).
 */
const readers: { file: RegExp; read: (text: string) => string[] }[] = [
  {
    file: /\.py$/,
    read: text => [new RegExp(`os\\.environ(?:\\.get|\\.setdefault|\\.pop)?[([]\\s*"${variableName}"`, 'g'), new RegExp(`os\\.getenv\\(\\s*"${variableName}"`, 'g'), new RegExp(`\\brequired\\(\\s*"${variableName}"`, 'g')].flatMap(pattern => [...text.matchAll(pattern)].map(match => match[1]!)),
  },
  { file: /\.sh$/, read: text => [...text.matchAll(new RegExp(`\\$\\{${variableName}`, 'g'))].map(match => match[1]!) },
  { file: /(^|\/)uwsgi\.ini$/, read: text => [...text.matchAll(new RegExp(`^if-(?:not-)?env\\s*=\\s*${variableName}|\\$\\(${variableName}\\)`, 'gm'))].map(match => (match[1] ?? match[2])!) },
  {
    file: /\.service$/,
    read: text => [
      ...[...text.matchAll(new RegExp(`^Environment=${variableName}=`, 'gm'))].map(match => match[1]!),
      ...logicalLines(text).filter(line => /^Exec\w*=/.test(line)).flatMap(line => [...line.matchAll(new RegExp(`\\$\\{?${variableName}`, 'g'))].map(match => match[1]!)).filter(variable => variable !== 'MAINPID'),
    ],
  },
  {
    file: /^deploy\/supervisor\/.*\.conf$/,
    read: text => [
      ...(text.match(/^environment=(.*)$/m)?.[1] ?? '').split(/,(?=[A-Za-z_]\w*=)/).filter(Boolean).map(entry => entry.split('=')[0]!),
      ...[...text.matchAll(new RegExp(`%\\(ENV_${variableName}\\)s`, 'g'))].map(match => match[1]!),
    ],
  },
  {
    // The development image (dev.Dockerfile) is not production.
    file: /(^|\/)Dockerfile$/,
    read: text => logicalLines(text).filter(line => /^ENV\s/.test(line)).flatMap(line => [...line.matchAll(new RegExp(`(?:^ENV|\\s)${variableName}=`, 'g'))].map(match => match[1]!)),
  },
];

/**
 * How a process is run, not what a deployment chooses: the release's own virtual environment
 * (PATH, VIRTUAL_ENV) and Python's output switches, which the unit or image sets from its own
 * layout and an env file must not override. The test's own list: one imported from core would hide
 * a name wrongly added there.
 */
const processVariables = new Set(['PATH', 'VIRTUAL_ENV', 'PYTHONDONTWRITEBYTECODE', 'PYTHONUNBUFFERED', 'PIP_DISABLE_PIP_VERSION_CHECK']);

/** Every variable production's files read or set. Tests, packaging, the Makefile and the developers' scripts are not what production runs. */
function variablesRead(files: Record<string, string>): Set<string> {
  const read = new Set<string>();
  for (const [path, text] of Object.entries(files)) {
    if (/^(tests|scripts)\//.test(path) || path === 'setup.py' || path === 'Makefile' || path.startsWith('.')) continue;
    for (const reader of readers) if (reader.file.test(path)) for (const variable of reader.read(text)) if (!processVariables.has(variable)) read.add(variable);
  }
  return read;
}

const listed = (envExample: string) => new Set([...envExample.matchAll(/^(?:# )?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map(match => match[1]!));

for (const preset of presetNames) {
  test(`${preset}: .env.example lists exactly the variables production's files read or set, required ones set, and the README points to it`, async () => {
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
