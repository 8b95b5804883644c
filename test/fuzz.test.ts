// Hostile and odd input, fuzzed: seeded, bounded, across every preset's project facts and
// generator options, given on the command line or by a preset file that extends the preset.
// Every case is either refused (a UsageError, exit 2, nothing written) or accepted, and then
// every file it wrote passes the tool that reads it (checkRepositories). Nothing else: no crash,
// no exit 1. A sample of cases goes through the real CLI (with an answers file, which can hold
// any value) to show the exit codes and that no stack trace is printed.
//
// Reproduce or widen: PYREPO_FUZZ_SEED=<n> PYREPO_FUZZ_CASES=<n> (see docs/testing.md).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry, UsageError, contextSchema, resolveOption, resolvePreset, validateOptions, type JsonObject, type OptionSchema } from '@pyrepo/core';
import { checkRepositories, folderState, runPyrepo } from '@pyrepo/testing';
import { catalog, catalogDir } from 'generator-pyrepo/catalog';
import { pyrepo } from './helpers/cli.js';
import { presetNames } from './helpers/walk.js';

const seed = Number(process.env.PYREPO_FUZZ_SEED ?? 20261121);
const caseCount = Number(process.env.PYREPO_FUZZ_CASES ?? 2000);
const cliSamples = 2; // of each verdict, with values on the command line and in a preset file

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function random(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

/** What breaks files: newlines, quotes, substitutions, systemd specifiers, paths, NUL, non-ASCII, sheer length. */
const hostile = [
  'a\nb', 'a\r\nb', 'a"b', "a'b", '$(id)', '`id`', '${HOME}', '%n', '%%', '%(x)s', 'a;b', 'a&&b', 'a|b', '../x', '../../etc/passwd',
  '/etc/passwd', 'a\0b', 'café', '日本語', '😀', '\u2028', '\ud800', 'x'.repeat(10_000), '', ' ', ' a', 'a ', '-rf', '--force',
  'a b', 'a\tb', '\\', 'a\\nb', 'a#b', 'a=b', '[x]', '{{x}}', '<%= 1 %>', '<script>', 'a:b', 'a,b', '*', '?', '~', '.', '..', '.git',
  'root', '0', '-1', '65536', '1e3', '3.9', '3.99', 'true', 'null', '[]', '{}',
  // Unicode controls (C1), format characters (bidirectional overrides, zero-width), separators.
  '\u0085', '\u009b', '\u202e', '\u2066', '\u200b', '\ufeff', '\u2029',
];
const numbers: unknown[] = [0, -1, 1, 80, 1023, 65535, 65536, 2 ** 53, 1.5, -0.5, '8000', '8e3', 'NaN', 'x', true, null];

/** A value for an option, valid or hostile or a valid one made hostile. */
function valueFor(option: OptionSchema): unknown {
  const resolved = resolveOption(option);
  const valid: unknown[] = [...(resolved.enum ?? []), ...(resolved.default !== undefined ? [resolved.default as unknown] : [])];
  if (resolved.type === 'array') {
    const item = () => valueFor((resolved.items ?? { type: 'string', description: '' }) as OptionSchema);
    return pick<() => unknown>([() => [], () => [item()], () => [item(), item()], () => Array.from({ length: 300 }, () => 'x'), () => 'not-a-list'])();
  }
  if (resolved.type === 'integer' || resolved.type === 'number') return next() < 0.4 && valid.length > 0 ? pick(valid) : pick(numbers);
  if (resolved.type === 'boolean') return pick<unknown>([true, false, 'yes', 'no', 'true', '1', 0, 'x']);
  const base = valid.length > 0 ? String(pick(valid)) : 'fuzz';
  if (next() < 0.15) return pick([base, `${base}-${Math.floor(next() * 1000)}`]);
  return pick<() => unknown>([
    () => pick(hostile),
    () => `${base}${pick(hostile)}`,
    () => `${pick(hostile)}${base}`,
    () => `${base.slice(0, 1)}${pick(hostile)}${base.slice(1)}`,
  ])();
}

interface FuzzCase {
  index: number;
  preset: string;
  /** Values given on the command line (as an answers file) ... */
  values: JsonObject;
  /** ... or by a preset file that extends the preset. */
  presetFile?: JsonObject;
}

const registry = new Registry({ catalog, catalogDir, cwd: process.cwd() });
const spaces = new Map(
  presetNames.map(name => {
    const steps = resolvePreset(registry, name).steps;
    return [name, { facts: Object.entries(contextSchema.properties), steps: steps.map(step => ({ name: step.entry.name, options: Object.entries(step.entry.schema.properties) })) }];
  }),
);

function makeCase(index: number): FuzzCase {
  const preset = pick(presetNames);
  const space = spaces.get(preset)!;
  const values: JsonObject = { name: 'fuzz', skipGit: true };
  const generatorOptions: Record<string, JsonObject> = {};
  const changes = 1 + Math.floor(next() * 3);
  for (let n = 0; n < changes; n++) {
    if (next() < 0.35) {
      const [key, option] = pick(space.facts);
      values[key] = valueFor(option);
    } else {
      const step = pick(space.steps);
      if (step.options.length === 0) continue;
      const [key, option] = pick(step.options);
      (generatorOptions[step.name] ??= {})[key] = valueFor(option);
    }
  }
  if (next() < 0.2) {
    // A preset file: data only, validated like the command line. Facts go in its context.
    const { name: _name, skipGit: _skipGit, ...context } = values;
    return { index, preset, values: { name: 'fuzz', skipGit: true }, presetFile: { name: 'fuzzed', description: 'A fuzzed preset', extends: preset, context, generators: Object.entries(generatorOptions) } };
  }
  return { index, preset, values: { ...values, ...generatorOptions } };
}

const cases = Array.from({ length: caseCount }, (_, index) => makeCase(index));
const show = (fuzz: FuzzCase) => `case ${fuzz.index} (seed ${seed}): ${fuzz.preset} ${JSON.stringify(fuzz.presetFile ?? fuzz.values).slice(0, 400)}`;
const root = mkdtempSync(join(tmpdir(), 'pyrepo-fuzz-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** Where a case runs: its own folder (`name`), the target inside it (absent until something is written). */
function prepare(fuzz: FuzzCase, name = String(fuzz.index)): { home: string; target: string; preset: string } {
  const home = join(root, name);
  mkdirSync(home);
  if (!fuzz.presetFile) return { home, target: join(home, 'repo'), preset: fuzz.preset };
  writeFileSync(join(home, 'fuzzed.json'), JSON.stringify(fuzz.presetFile));
  return { home, target: join(home, 'repo'), preset: join(home, 'fuzzed.json') };
}

type Verdict = 'refused' | 'accepted';
const verdicts = new Map<number, Verdict>();
const accepted: Array<{ fuzz: FuzzCase; dir: string }> = [];

const crashes: string[] = [];

// Every case runs once, here; the tests below read the verdicts, so none depends on another's run.
test.before(async () => {
  for (const fuzz of cases) {
    const { target, preset } = prepare(fuzz);
    try {
      await runPyrepo({ preset, values: fuzz.values, dir: target, cwd: root });
      verdicts.set(fuzz.index, 'accepted');
      accepted.push({ fuzz, dir: target });
    } catch (error) {
      if (!(error instanceof UsageError)) {
        crashes.push(`${show(fuzz)}\n  ${(error as Error).stack}`);
        continue;
      }
      verdicts.set(fuzz.index, 'refused');
      if (folderState(target) !== 'absent') crashes.push(`${show(fuzz)}\n  refused, but wrote ${Object.keys(folderState(target)).join(', ')}`);
    }
  }
});

test(`${caseCount} fuzzed cases: each refused with a usage error and nothing written, or accepted`, () => {
  assert.equal(crashes, []);
  const refused = [...verdicts.values()].filter(verdict => verdict === 'refused').length;
  console.log(`  fuzz: seed ${seed}, ${caseCount} cases: ${refused} refused, ${accepted.length} accepted`);
  assert.ok(refused > 0 && accepted.length > 0, 'the cases reach both verdicts');
});

test('every file of every accepted case passes the tool that reads it', () => {
  const byDir = new Map(accepted.map(({ fuzz, dir }) => [dir, fuzz]));
  const problems = checkRepositories([...byDir.keys()]).map(line => {
    const dir = [...byDir.keys()].find(candidate => line.startsWith(`${candidate}/`))!;
    return `${show(byDir.get(dir)!)}\n  ${line.slice(dir.length + 1)}`;
  });
  assert.equal(problems.slice(0, 20), [], `${problems.length} problems`);
});

test('the real CLI gives the same verdicts, for values on the command line and in a preset file: exit 2 with the problem named and nothing written, or exit 0; never a stack trace', () => {
  // Of each verdict, cases of both kinds: which kind comes first depends on the seed and on every schema.
  const sample = (verdict: Verdict, byFile: boolean) =>
    cases.filter(fuzz => verdicts.get(fuzz.index) === verdict && Boolean(fuzz.presetFile) === byFile).slice(0, cliSamples);
  const sampled = (['refused', 'accepted'] as const).flatMap(verdict => [...sample(verdict, false), ...sample(verdict, true)]);
  assert.is(sampled.length, 4 * cliSamples, 'the seed gives enough cases of each verdict and kind');
  for (const fuzz of sampled) {
    const { home, target, preset } = prepare(fuzz, `cli-${fuzz.index}`);
    const answers = join(home, 'answers.json');
    writeFileSync(answers, JSON.stringify(fuzz.values));
    // A preset given by path needs the user's trust even without templates (docs/authoring-presets.md,
    // test/trust.test.ts); runPyrepo's registry has no trust policy, so the CLI gets --trust to compare
    // the same thing: the validation of the values.
    const trust = fuzz.presetFile ? ['--trust'] : [];
    const result = pyrepo(['new', preset, target, '--yes', '--skip-install', '--answers', answers, ...trust], home);
    const expected = verdicts.get(fuzz.index) === 'refused' ? 2 : 0;
    assert.is(result.code, expected, `${show(fuzz)}\n${result.stderr}`);
    assert.not.match(result.stderr, /^\s+at .*:\d+:\d+\)?$/m, `${show(fuzz)}: a stack trace\n${result.stderr}`);
    if (expected === 2) {
      assert.match(result.stderr, /pyrepo: invalid input:\n\s+\S[\s\S]*fix: /);
      assert.is(folderState(target), 'absent');
    }
  }
});

test('a 120 KB value of any option of any preset is refused in bounded time: each validation under 100 ms', () => {
  const shapes = ['a'.repeat(120_000), `a${' '.repeat(120_000)}!`, `a==1${' ,==1'.repeat(24_000)}!`, `a; ${"python_version<'3' and ".repeat(5000)}!`, `a[${'b,'.repeat(60_000)}`];
  const slow: string[] = [];
  for (const name of presetNames) {
    for (const step of resolvePreset(registry, name).steps) {
      for (const [key, option] of Object.entries(step.entry.schema.properties)) {
        const resolved = resolveOption(option);
        const isList = resolved.type === 'array';
        if (resolved.type !== 'string' && !(isList && resolveOption((resolved.items ?? {}) as OptionSchema).type === 'string')) continue;
        validateOptions(step.entry.schema, {}, n => n); // compiled once, outside the measure
        for (const shape of shapes) {
          const started = performance.now();
          const { problems } = validateOptions(step.entry.schema, { [key]: isList ? [shape] : shape }, n => n);
          const took = performance.now() - started;
          assert.ok(problems.length > 0, `${step.entry.name} --${key}: a 120 KB value was accepted`);
          if (took > 100) slow.push(`${step.entry.name} --${key} ${JSON.stringify(shape.slice(0, 12))}: ${Math.round(took)} ms`);
        }
      }
    }
  }
  assert.equal(slow, []);
});

test.run();
