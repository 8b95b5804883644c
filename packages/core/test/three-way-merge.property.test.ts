import fc from 'fast-check';
import { parse, stringify } from 'smol-toml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conflictMarkersIn, mergeThreeWay } from '../src/index.js';
import { mergeIgnoreLines } from '../src/merge/ignore.js';
import { mergeLines, type MergedLines, type MergeLabels } from '../src/merge/lines.js';
import { mergeReadmeSections } from '../src/merge/readme.js';
import { mergeRequirementsLines } from '../src/merge/requirements.js';
import { mergeTomlLines } from '../src/merge/toml.js';

const labels = { yours: 'yours', base: 'pyrepo 1.2.0', theirs: 'pyrepo 1.3.0' };
const runs = { numRuns: 200 };
const text = (lines: readonly string[]) => lines.map(line => `${line}\n`).join('');
const linesOf = (value: string) => (value === '' ? [] : value.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'));

// Few distinct lines, so that the same line appears often and alignment is ambiguous; no marker-like lines.
const fileLines = (alphabet: string[]) => fc.array(fc.constantFrom(...alphabet), { maxLength: 14 });
const readme = fc
  .array(fc.oneof(fc.constantFrom('# app', '', 'text', 'more'), fc.constantFrom('a', 'b', 'c').map(id => `§${id}`)), { maxLength: 10 })
  .chain(items =>
    fc.tuple(...items.map(item => (item.startsWith('§') ? fc.array(fc.constantFrom('## T', '', 'run', 'x'), { maxLength: 4 }).map(body => ({ id: item.slice(1), body })) : fc.constant(item)))),
  )
  .map(items => {
    const seen = new Set<string>();
    return items.flatMap(item => {
      if (typeof item === 'string') return [item];
      if (seen.has(item.id)) return [];
      seen.add(item.id);
      return [`<!-- pyrepo:begin ${item.id} -->`, ...item.body, `<!-- pyrepo:end ${item.id} -->`];
    });
  });

interface Kind {
  path: string;
  lines: fc.Arbitrary<string[]>;
  strategy: (yours: string[], base: string[], theirs: string[], labels: MergeLabels) => MergedLines;
}

const kinds: Kind[] = [
  { path: 'uwsgi.ini', lines: fileLines(['a', 'b', 'c', 'd', '', '[uwsgi]']), strategy: mergeLines },
  { path: 'requirements.txt', lines: fileLines(['a==1', 'a==2', 'A == 2', 'b>=1', 'c', 'd; python_version < "3.12"', '# deps', '', '-r base.txt', '--index-url https://x']), strategy: mergeRequirementsLines },
  { path: '.gitignore', lines: fileLines(['*.pyc', '.env', 'build/', '# Python', '', '!keep.pyc']), strategy: mergeIgnoreLines },
  { path: 'README.md', lines: readme, strategy: mergeReadmeSections },
  { path: 'pyproject.toml', lines: fileLines(['[a]', '[b]', 'x = 1', 'x = 2', 'y = "s"', '# c', '', 'z = [', '  1,', ']']), strategy: mergeTomlLines },
];

for (const kind of kinds) {
  const run = (base: string[] | undefined, yours: string[], theirs: string[]) => mergeThreeWay({ path: kind.path, base: base && text(base), yours: text(yours), theirs: text(theirs), labels });

  test(`${kind.path}: no change on your side gives theirs; none on theirs gives yours, byte for byte`, () => {
    fc.assert(
      fc.property(kind.lines, kind.lines, (base, other) => {
        assert.is(run(base, base, other).text, text(other));
        assert.is(run(base, other, base).text, text(other));
      }),
      runs,
    );
  });

  test(`${kind.path}: the same change on both sides merges cleanly into it (the strategy itself, without the shortcut)`, () => {
    fc.assert(
      fc.property(kind.lines, kind.lines, (base, changed) => {
        const merged = kind.strategy(changed, base, changed, labels);
        assert.is(merged.conflicts, 0);
        assert.equal(merged.lines, changed);
      }),
      runs,
    );
  });

  test(`${kind.path}: markers appear iff conflicts > 0, and conflictMarkersIn finds all four of each`, () => {
    fc.assert(
      fc.property(kind.lines, kind.lines, kind.lines, fc.boolean(), (base, yours, theirs, known) => {
        const result = run(known ? base : undefined, yours, theirs);
        const markers = conflictMarkersIn(result.text);
        assert.is(markers.length, 4 * result.conflicts);
        assert.is(result.outcome === 'conflict', result.conflicts > 0);
        assert.is(linesOf(result.text).filter(line => line.startsWith('<<<<<<< ')).length, result.conflicts);
      }),
      runs,
    );
  });
}

test('lines: disjoint changes on each side (one unchanged line apart) and a shared one all merge cleanly', () => {
  // Unique lines; each site is replaced or gets a line inserted before it, by yours, theirs or both alike.
  const plan = fc.integer({ min: 3, max: 40 }).chain(size => fc.tuple(fc.constant(size), fc.array(fc.tuple(fc.constantFrom('yours', 'theirs', 'both'), fc.constantFrom('replace', 'insert', 'delete')), { minLength: size, maxLength: size })));
  fc.assert(
    fc.property(plan, fc.integer({ min: 0, max: 2 }), ([size, edits], phase) => {
      const base = Array.from({ length: size }, (_, index) => `line ${index}`);
      const apply = (side: 'yours' | 'theirs') =>
        base.flatMap((line, index) => {
          const [who, how] = edits[index]!;
          if (index % 3 !== phase || (who !== side && who !== 'both')) return [line];
          return how === 'replace' ? [`${line} changed`] : how === 'insert' ? [`before ${index}`, line] : [];
        });
      const expected = base.flatMap((line, index) => {
        const [, how] = edits[index]!;
        if (index % 3 !== phase) return [line];
        return how === 'replace' ? [`${line} changed`] : how === 'insert' ? [`before ${index}`, line] : [];
      });
      const result = mergeThreeWay({ path: 'app.conf', base: text(base), yours: text(apply('yours')), theirs: text(apply('theirs')), labels });
      assert.is(result.conflicts, 0);
      assert.is(result.text, text(expected));
    }),
    runs,
  );
});

test('line endings: a CRLF file stays CRLF and one without a final newline stays so, whatever the merge', () => {
  fc.assert(
    fc.property(kinds[0]!.lines, kinds[0]!.lines, kinds[0]!.lines, fc.boolean(), fc.boolean(), (base, yours, theirs, crlf, finalNewline) => {
      // A last line that is empty ends the text with a line break either way.
      fc.pre(yours.length > 1 && [base, yours, theirs].every(lines => lines[lines.length - 1] !== ''));
      let mine = text(yours);
      if (!finalNewline) mine = mine.slice(0, -1);
      if (crlf) mine = mine.replace(/\n/g, '\r\n');
      const result = mergeThreeWay({ path: 'x.cfg', base: text(base), yours: mine, theirs: text(theirs), labels });
      if (result.text === '') return;
      assert.is(/\r\n/.test(result.text) && !/[^\r]\n|^\n/.test(result.text), crlf && result.text.includes('\n'));
      assert.is(result.text.endsWith('\n'), finalNewline);
    }),
    runs,
  );
});

// TOML as a model: tables that each side edits key by key; the merge must parse to the rules' result.
type Model = Record<string, Record<string, number | string>>;
const tables = ['tool.a', 'tool.b'];
const keys = ['k1', 'k2', 'k3'];
const value = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('s', 't'));
const edits = fc.array(fc.option(fc.oneof(value, fc.constant(null)), { nil: undefined }), { minLength: tables.length * keys.length, maxLength: tables.length * keys.length });
const baseModel = fc.array(fc.option(value, { nil: undefined }), { minLength: tables.length * keys.length, maxLength: tables.length * keys.length });

function toToml(model: Model): string {
  const tree: Record<string, Record<string, unknown>> = {};
  for (const [name, table] of Object.entries(model)) tree[name.split('.')[1]!] = table;
  return stringify({ tool: tree });
}

test('toml: merged by key as the rules say; every merge without conflicts parses to it; conflicts exactly where both changed a key differently', () => {
  fc.assert(
    fc.property(baseModel, edits, edits, (start, mine, next) => {
      const models: [Model, Model, Model] = [{}, {}, {}];
      const expected: Model = {};
      let conflicting = false;
      tables.forEach((table, t) => {
        for (const model of [...models, expected]) model[table] = { id: t };
        keys.forEach((key, k) => {
          const index = t * keys.length + k;
          const old = start[index];
          // undefined: left as in the base; null: removed.
          const edit = (change: number | string | null | undefined) => (change === undefined ? old : change === null ? undefined : change);
          const [yours, theirs] = [edit(mine[index]), edit(next[index])];
          if (old !== undefined) models[1][table]![key] = old;
          if (yours !== undefined) models[0][table]![key] = yours;
          if (theirs !== undefined) models[2][table]![key] = theirs;
          let merged: number | string | undefined;
          if (yours === theirs || theirs === old) merged = yours;
          else if (yours === old) merged = theirs;
          else if (yours === undefined) merged = undefined;
          else {
            conflicting = true;
            merged = yours;
          }
          if (merged !== undefined) expected[table]![key] = merged;
        });
      });
      const result = mergeThreeWay({ path: 'pyproject.toml', base: toToml(models[1]), yours: toToml(models[0]), theirs: toToml(models[2]), labels });
      assert.is(result.conflicts > 0, conflicting);
      if (!conflicting) assert.equal(JSON.parse(JSON.stringify(parse(result.text))), JSON.parse(JSON.stringify(parse(toToml(expected)))));
    }),
    { numRuns: 300 },
  );
});

test('toml: a merge without conflicts of any TOML-looking lines parses whenever the three sides do', () => {
  fc.assert(
    fc.property(kinds[4]!.lines, kinds[4]!.lines, kinds[4]!.lines, (base, yours, theirs) => {
      const parses = (value: string) => {
        try {
          parse(value);
          return true;
        } catch {
          return false;
        }
      };
      fc.pre([base, yours, theirs].every(lines => parses(text(lines))));
      const result = mergeThreeWay({ path: 'pyproject.toml', base: text(base), yours: text(yours), theirs: text(theirs), labels });
      if (result.conflicts === 0) assert.ok(parses(result.text), result.text);
    }),
    runs,
  );
});

test.run();
