// Every kind of bad input: a message naming the problem and the fix, exit code 2, no stack
// trace, and the target folder byte-for-byte as it was (or still absent).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderState, pyrepo } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'pyrepo-errors-'));
const existing = join(work, 'existing');
const json = (path: string, data: unknown) => writeFileSync(join(work, path), typeof data === 'string' ? data : JSON.stringify(data));
json('not-json.json', '{ "name": ');
json('array.json', '[1, 2]');
json('self.json', { name: 'self', description: 'extends itself', extends: './self.json', generators: [] });
json('orphan.json', { name: 'orphan', description: 'extends an unknown preset', extends: 'wpmedia-djnago', generators: [] });
json('unknown-generator.json', { name: 'ug', description: 'names an unknown generator', generators: ['requirments'] });
json('unknown-option.json', { name: 'uo', description: 'sets an option pyproject lacks', generators: [['pyproject', { lineLenght: 100 }]] });
mkdirSync(existing);
test.after(() => rmSync(work, { recursive: true, force: true }));
writeFileSync(join(existing, 'keep.txt'), 'mine\n');

interface Case {
  args: string[];
  /** The problem, as the message must name it. */
  problem: RegExp;
  /** The fix, as the message must state it. */
  fix: RegExp;
  target?: string;
}

const cases: Record<string, Case> = {
  'unknown preset': { args: ['new', 'wpmedia-djang', 'out'], problem: /Unknown preset "wpmedia-djang"\. Did you mean "wpmedia-django"\?/, fix: /use one of docker-wheels, fastapi-shiv, flask-vendored, venv-systemd, wpmedia-django/ },
  'unknown generator': { args: ['add', 'requirments', '--dir', 'existing'], problem: /Unknown generator "requirments"\. Did you mean "requirements"\?/, fix: /pyrepo list/, target: 'existing' },
  'name ../x': { args: ['new', 'wpmedia-django', 'out', '--name', '../x'], problem: /Invalid --name: must be a PEP 508 project name.*\(got "\.\.\/x"\)/, fix: /pass --name/ },
  'name with a space': { args: ['new', 'wpmedia-django', 'out', '--name', 'my app'], problem: /Invalid --name.*\(got "my app"\)/, fix: /pass --name/ },
  'name from a folder 1abc': { args: ['new', 'wpmedia-django', '1abc'], problem: /Invalid --package \(derived from the project name "1abc"\): must be a valid Python identifier/, fix: /pass --package .*or choose a project name that starts with a letter/, target: '1abc' },
  'empty name': { args: ['new', 'wpmedia-django', 'out', '--name', ''], problem: /Invalid --name: must be a PEP 508 project name.*\(got ""\)/, fix: /pass --name/ },
  'name a/b': { args: ['new', 'wpmedia-django', 'out', '--name', 'a/b'], problem: /Invalid --name.*\(got "a\/b"\)/, fix: /pass --name/ },
  'name of 300 characters': { args: ['new', 'wpmedia-django', 'out', '--name', 'a'.repeat(300)], problem: /Invalid --name: must be a PEP 508 project name of at most 64 characters/, fix: /pass --name/ },
  'package import': { args: ['new', 'wpmedia-django', 'out', '--package', 'import'], problem: /Invalid --package: .*not a Python keyword.*\(got "import"\)/, fix: /pass --package/ },
  'option failing its schema': { args: ['new', 'wpmedia-django', 'out', '--line-length', '500'], problem: /Invalid option --line-length of generator "pyproject": must be <= 200 \(got 500\)/, fix: /pass --line-length with an integer from 60 to 200/ },
  'project fact failing its schema': { args: ['add', 'pyproject', '--dir', 'existing', '--python', '2.7'], problem: /Invalid --python: must be one of 3\.10, 3\.11, 3\.12, 3\.13, 3\.14 \(got "2\.7"\)/, fix: /pass --python with one of/, target: 'existing' },
  'unknown option': { args: ['new', 'wpmedia-django', 'out', '--line-lenght', '100'], problem: /Unknown option --line-lenght .*Did you mean --line-length\?/, fix: /pyrepo info wpmedia-django/ },
  'missing answers file': { args: ['new', 'wpmedia-django', 'out', '--answers', 'missing.json'], problem: /Cannot read answers file missing\.json: it does not exist/, fix: /pass --answers with the path of a JSON file/ },
  'answers file not JSON': { args: ['new', 'wpmedia-django', 'out', '--answers', 'not-json.json'], problem: /answers file not-json\.json is not valid JSON/, fix: /pass --answers/ },
  'answers file not an object': { args: ['new', 'wpmedia-django', 'out', '--answers', 'array.json'], problem: /must hold a JSON object, not an array/, fix: /"name": "my-app"/ },
  'preset extending itself': { args: ['new', './self.json', 'out'], problem: /Preset "self" extends itself/, fix: /remove "extends"/ },
  'preset extending an unknown preset': { args: ['new', './orphan.json', 'out'], problem: /Unknown preset "wpmedia-djnago" \(extended by preset "orphan"\)\. Did you mean "wpmedia-django"\?/, fix: /use one of/ },
  'preset naming an unknown generator': { args: ['new', './unknown-generator.json', 'out'], problem: /Unknown generator "requirments" in preset "ug".*Did you mean "requirements"\?/, fix: /pyrepo list/ },
  'preset setting an option the generator lacks': { args: ['new', './unknown-option.json', 'out', '--trust'], problem: /Unknown option --line-lenght of generator "pyproject" \(set by preset "uo"\)\. Did you mean --line-length\?/, fix: /known options are --tools, --line-length, --test-paths/ },
  'unknown command': { args: ['neww', 'wpmedia-django'], problem: /Unknown argument: neww|Did you mean new/, fix: /pyrepo --help/ },
  'target is a file': { args: ['new', 'wpmedia-django', 'existing/keep.txt'], problem: /exists and is not a folder/, fix: /give a folder path/, target: 'existing' },
  'add into a missing folder': { args: ['add', 'pyproject', '--dir', 'nowhere'], problem: /Folder .*nowhere does not exist/, fix: /pyrepo new/, target: 'nowhere' },
};

for (const [name, item] of Object.entries(cases)) {
  test(`bad input: ${name}`, () => {
    const target = join(work, item.target ?? 'out');
    const before = folderState(target);
    const result = pyrepo([...item.args, '--yes'], work);
    assert.is(result.code, 2, `exit code 2, got ${result.code}: ${result.stderr}`);
    assert.match(result.stderr, item.problem);
    assert.match(result.stderr, /fix: /);
    assert.match(result.stderr, item.fix);
    assert.not.match(result.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
    assert.equal(folderState(target), before, 'the target folder is unchanged');
  });
}

test.run();
