import type { ErrorObject, ValidateFunction } from 'ajv';
import { type Problem, didYouMean } from './errors.js';
import { coreRequire } from './core-package.js';
import { showValue, toFlag, type JsonObject } from './json.js';
import { isRequirement } from './pep508.js';

export type PromptSpec = string | { message: string; type?: 'input' | 'number' | 'confirm' | 'list' | 'checkbox' };

/** One option of a generator (or one project fact), as declared in JSON Schema. */
export interface OptionSchema {
  description: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array';
  $ref?: string;
  enum?: unknown[];
  items?: OptionSchema | { $ref: string };
  default?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  'x-prompt'?: PromptSpec;
  'x-rule'?: string;
}

/** A generator's schema.json: the single source of truth for its options. */
export interface GeneratorSchema {
  $id: string;
  title: string;
  description: string;
  type: 'object';
  additionalProperties: false;
  properties: Record<string, OptionSchema>;
  required?: string[];
  /** What the generator needs of the project model (see FrameworkRuntime.needs). */
  'x-needs'?: Array<'application' | 'dev-application'>;
  /** The version of this options schema (default 1); answers are recorded with it. */
  'x-version'?: number;
  /** How recorded answers move from one version to the next (see records.ts, migrateAnswers). */
  'x-migrations'?: AnswersMigration[];
  /** Files (relative to the repository) the generator cannot do without: written again when the user deleted them (see records.ts, requiredFiles). */
  'x-required-files'?: string[];
}

/** One step of a generator's answers: from version `to - 1` to `to`. */
export interface AnswersMigration {
  to: number;
  rename?: Record<string, string>;
  remove?: string[];
  add?: string[];
}

const schemaFile = (name: string): JsonObject => coreRequire(`./schemas/${name}`) as JsonObject;

/** Formats the schemas use; standalone validators refer to them by this name (see `standaloneValidators`). */
export const pyrepoFormats = {
  // Requirements are checked by what they mean (PEP 440 specifiers, markers), beyond their pattern.
  'pep508-requirement': { type: 'string' as const, validate: isRequirement },
};

type AjvInstance = import('ajv').default;
type AjvCodeOptions = NonNullable<import('ajv').Options['code']>;

/**
 * An Ajv instance with pyrepo's settings: defaults applied, strings from the command line coerced to
 * the declared types. At build time (`code` given) every schema is also checked against draft-07. At
 * run time only team generators' schemas are compiled, and the registry has checked each against
 * pyrepo's generator meta-schema (checkGeneratorSchema), which types every keyword it allows: Ajv's
 * own check would compile draft-07's meta-schema first (~60 ms a run).
 */
function createAjv(code?: AjvCodeOptions): AjvInstance {
  const { Ajv } = coreRequire('ajv') as typeof import('ajv');
  const settings = code ? { code } : { meta: false, validateSchema: false };
  const instance = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: 'array', strict: true, strictTuples: false, strictRequired: false, ...settings });
  instance.addKeyword({ keyword: 'x-prompt' });
  instance.addKeyword({ keyword: 'x-rule' });
  instance.addKeyword({ keyword: 'x-needs' });
  instance.addKeyword({ keyword: 'x-version' });
  instance.addKeyword({ keyword: 'x-migrations' });
  instance.addKeyword({ keyword: 'x-required-files' });
  for (const [name, format] of Object.entries(pyrepoFormats)) instance.addFormat(name, format);
  // Without its $schema: draft-07 is Ajv's default where it checks, and not loaded where it does not.
  const { $schema: _draft, ...defs } = schemaFile('defs.schema.json');
  instance.addSchema(defs);
  return instance;
}

let ajvInstance: AjvInstance | undefined;
/** Validators by schema key: compiled in this process, or precompiled at build time (`usePrecompiledValidators`). */
const compiled = new Map<string, ValidateFunction>();
/** Precompiled validators not keyed yet: keying them waits for the first validation (`list` and `--help` validate nothing). */
const precompiled: Array<{ schemas: object[]; validators: Record<string, unknown> }> = [];
const keys = new WeakMap<object, string>();

/**
 * What identifies a schema's validator. Without $id (a schema file may be loaded more than once in
 * a process) and without $schema (generator schemas point editors at pyrepo's meta-schema by relative path).
 */
function anonymousSchema(schema: object): object {
  const { $id: _id, $schema: _meta, ...anonymous } = schema as { $id?: string; $schema?: string };
  return anonymous;
}

/** The key of a schema object, computed once per object (a run validates each schema several times). */
function schemaKey(schema: object): string {
  let key = keys.get(schema);
  if (key === undefined) {
    key = JSON.stringify(anonymousSchema(schema));
    keys.set(schema, key);
  }
  return key;
}

function validatorFor(schema: object): ValidateFunction {
  for (const { schemas, validators } of precompiled.splice(0)) {
    [...coreSchemas(), ...schemas].forEach((known, index) => {
      const validate = validators[`v${index}`];
      if (typeof validate === 'function') compiled.set(schemaKey(known), validate as ValidateFunction);
    });
  }
  const key = schemaKey(schema);
  let validate = compiled.get(key);
  if (!validate) {
    ajvInstance ??= createAjv();
    validate = ajvInstance.compile(anonymousSchema(schema));
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Validators compiled at build time, from the module `standaloneValidators` wrote, keyed by the
 * order of the schemas it was given (the same list): a run with only these schemas never loads Ajv's compiler.
 */
export function usePrecompiledValidators(schemas: object[], validators: Record<string, unknown>): void {
  precompiled.push({ schemas, validators });
}

/**
 * The source of an ES module exporting a standalone validator (`v0`, `v1`, ...) for each schema, with
 * core's own schemas (project facts, generator and preset meta-schemas) first. `formatsImport` is the
 * module specifier that gives `pyrepoFormats` to the generated code.
 */
export function standaloneValidators(schemas: object[], formatsImport: string): string {
  const { _ } = coreRequire('ajv') as typeof import('ajv');
  const standaloneCode = (coreRequire('ajv/dist/standalone') as { default: (ajv: AjvInstance, refs: Record<string, string>) => string }).default;
  const instance = createAjv({ source: true, esm: true, formats: _`pyrepoFormats` });
  const refs: Record<string, string> = {};
  [...coreSchemas(), ...schemas].forEach((schema, index) => {
    instance.addSchema({ ...anonymousSchema(schema), $id: `pyrepo-standalone:v${index}` });
    refs[`v${index}`] = `pyrepo-standalone:v${index}`;
  });
  // Ajv's standalone code still require()s its runtime helpers: turn them into imports.
  const runtime = new Map<string, string>();
  const code = standaloneCode(instance, refs).replace(/require\("([^"]+)"\)/g, (_match: string, specifier: string) => {
    if (!runtime.has(specifier)) runtime.set(specifier, `runtime${runtime.size}`);
    return runtime.get(specifier)!;
  });
  const imports = [...runtime].map(([specifier, name]) => `import ${name} from ${JSON.stringify(`${specifier}.js`)};`);
  return [`import { pyrepoFormats } from ${JSON.stringify(formatsImport)};`, ...imports, code.replace(/^"use strict";/, '')].join('\n');
}

/** Core's schemas that every run validates with: they come first in precompiled modules. */
export function coreSchemas(): object[] {
  return [contextSchema, generatorMetaSchema, presetMetaSchema];
}

export const contextSchema = schemaFile('context.schema.json') as unknown as GeneratorSchema;
const generatorMetaSchema = schemaFile('generator.schema.json');
const presetMetaSchema = schemaFile('preset.schema.json');
const definitions = (schemaFile('defs.schema.json').definitions ?? {}) as Record<string, OptionSchema>;

/** Resolve an option's `$ref` into the shared definitions (pyrepo://defs.schema.json#/definitions/x). */
export function resolveOption(option: OptionSchema | { $ref: string }): OptionSchema {
  if (!option.$ref) return option as OptionSchema;
  const name = option.$ref.replace(/^pyrepo:\/\/defs\.schema\.json#\/definitions\//, '');
  const target = definitions[name];
  if (!target) return option as OptionSchema;
  const { $ref: _ref, ...rest } = option as OptionSchema;
  return { ...target, ...rest };
}

/** What a valid value looks like, in words: used in error fixes, help and docs. */
export function describeExpectation(option: OptionSchema): string {
  const resolved = resolveOption(option);
  if (resolved['x-rule']) return resolved['x-rule'];
  if (resolved.enum) return `one of ${resolved.enum.map(v => String(v)).join(', ')}`;
  if (resolved.type === 'array') {
    const items = resolved.items ? resolveOption(resolved.items) : undefined;
    return `a list${items ? ` of ${describeExpectation(items)}` : ''} (repeat the flag for several values)`;
  }
  if (resolved.type === 'integer' || resolved.type === 'number') {
    const noun = resolved.type === 'integer' ? 'an integer' : 'a number';
    if (resolved.minimum !== undefined && resolved.maximum !== undefined) return `${noun} from ${resolved.minimum} to ${resolved.maximum}`;
    if (resolved.minimum !== undefined) return `${noun} >= ${resolved.minimum}`;
    if (resolved.maximum !== undefined) return `${noun} <= ${resolved.maximum}`;
    return noun;
  }
  if (resolved.type === 'boolean') return 'true or false';
  return 'a string';
}

export interface ValidationResult {
  value: JsonObject;
  problems: Problem[];
}

/**
 * Validate option values against a schema (defaults applied, types coerced).
 * `subject(name)` names an option in messages, e.g. `option --line-length of generator "pyproject"`.
 */
export function validateOptions(schema: GeneratorSchema, values: JsonObject, subject: (name: string) => string): ValidationResult {
  const value = structuredClone(values);
  const validate = validatorFor(schema);
  const overlong = overlongValues(schema, value);
  const tooLong = overlong.map(error => toProblem(error, schema, value, subject));
  // Out of Ajv's way: with allErrors it would still run the pattern and format over the whole value.
  for (const error of overlong) delete value[error.instancePath.split('/')[1]!];
  const unencodable = Object.entries(value)
    .filter(([, v]) => [v].flat().some(item => typeof item === 'string' && loneSurrogate.test(item)))
    .map(([name]): Problem => ({ key: name, message: `Invalid ${subject(name)}: it holds a lone UTF-16 surrogate, which no UTF-8 file can hold.`, fix: `pass --${toFlag(name)} as well-formed text.` }));
  if (validate(value) && unencodable.length === 0 && tooLong.length === 0) return { value, problems: [] };
  const refused = new Set(tooLong.map(problem => problem.key));
  const problems = (validate.errors ?? [])
    .filter(error => error.keyword !== 'if' && !(error.keyword === 'not' && error.instancePath === ''))
    .map(error => toProblem(error, schema, value, subject))
    .filter(problem => !refused.has(problem.key));
  return { value, problems: dedupe([...tooLong, ...unencodable, ...problems]) };
}

/**
 * Strings longer than their option's maxLength (the option's own, or its items'), as Ajv would
 * report them. They are refused before any pattern or format runs, so validation takes a time
 * bounded by the maxLength, whatever the length of the value (the meta-schema bounds maxLength).
 */
function overlongValues(schema: GeneratorSchema, value: JsonObject): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const error = (instancePath: string, limit: number): ErrorObject => ({ keyword: 'maxLength', instancePath, schemaPath: '#/maxLength', params: { limit }, message: `must NOT have more than ${limit} characters` });
  for (const [name, given] of Object.entries(value)) {
    const option = schema.properties[name];
    if (!option) continue;
    const resolved = resolveOption(option);
    const limit = resolved.maxLength;
    if (typeof given === 'string' && limit !== undefined && given.length > limit) errors.push(error(`/${name}`, limit));
    const itemLimit = resolved.items ? resolveOption(resolved.items).maxLength : undefined;
    if (!Array.isArray(given) || itemLimit === undefined) continue;
    const index = given.findIndex(item => typeof item === 'string' && item.length > itemLimit);
    if (index >= 0) errors.push(error(`/${name}/${index}`, itemLimit));
  }
  return errors;
}

/**
 * A character no free text pyrepo writes may hold: controls (C0, DEL and C1, such as U+0085 and
 * U+009B), format characters (bidirectional overrides such as U+202E, zero-width characters), line
 * and paragraph separators. The free-text patterns of the generators' schemas refuse the same classes.
 */
export const unsafeTextCharacter = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Half of a surrogate pair on its own (from a JSON answers file): written as UTF-8 it would become U+FFFD. */
const loneSurrogate = /\p{Surrogate}/u;

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter(p => !seen.has(p.message) && seen.add(p.message));
}

function toProblem(error: ErrorObject, schema: GeneratorSchema, data: JsonObject, subject: (name: string) => string): Problem {
  const known = Object.keys(schema.properties);
  if (error.keyword === 'additionalProperties') {
    const name = String((error.params as { additionalProperty: string }).additionalProperty);
    return {
      key: name,
      message: `Unknown ${subject(name)}.${didYouMean(name, known, n => `--${toFlag(n)}`)}`,
      fix: known.length > 0 ? `remove it; the known options are ${known.map(n => `--${toFlag(n)}`).join(', ')}.` : 'remove it: this takes no options.',
    };
  }
  if (error.keyword === 'required') {
    const name = String((error.params as { missingProperty: string }).missingProperty);
    const option = schema.properties[name];
    return { key: name, message: `Missing ${subject(name)}.`, fix: `pass --${toFlag(name)} with ${option ? describeExpectation(option) : 'a value'}.` };
  }
  const [, name = '', ...rest] = error.instancePath.split('/');
  const option = schema.properties[name];
  const inItem = rest.length > 0 && option?.items !== undefined;
  const described = option ? (inItem ? resolveOption(option.items!) : resolveOption(option)) : undefined;
  const hasRule = Boolean(described?.['x-rule'] || described?.enum);
  const expectation = described ? describeExpectation(described) : 'a valid value';
  const where = `${subject(name)}${inItem ? ` (item ${Number(rest[0]) + 1})` : ''}`;
  const got = showValue(instanceAt(data, error.instancePath));
  return {
    key: name,
    message: `Invalid ${where}: ${hasRule ? `must be ${expectation}` : (error.message ?? 'is invalid')} (got ${got}).`,
    fix: described?.enum
      ? `pass --${toFlag(name)} with ${expectation}${option ? ` (${option.description.replace(/\.$/, '')})` : ''}.`
      : hasRule
      ? `pass --${toFlag(name)} ${inItem ? 'values that follow' : 'a value that follows'} the rule above${option ? ` (${option.description.replace(/\.$/, '')})` : ''}.`
      : `pass --${toFlag(name)} with ${expectation}${option ? ` (${option.description.replace(/\.$/, '')})` : ''}.`,
  };
}

function instanceAt(data: unknown, pointer: string): unknown {
  let current = data;
  for (const part of pointer.split('/').slice(1)) {
    current = (current as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

/**
 * How big a generator's schema.json may be. A schema is a few dozen flags (the built-ins': at
 * most 43 values, 6 levels deep); one far bigger (20,000 options) or deeper would overflow the
 * stack of the validators that walk it, so its size is measured first, without recursion.
 */
export const generatorSchemaBounds = { values: 5000, depth: 16 } as const;

function schemaSizeProblem(schema: unknown): string | undefined {
  const pending: Array<[unknown, number]> = [[schema, 1]];
  let values = 0;
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (++values > generatorSchemaBounds.values) return `(top level) holds more than ${generatorSchemaBounds.values} values: a generator's options are a few dozen flags; split it into several generators`;
    if (depth > generatorSchemaBounds.depth) return `(top level) nests deeper than ${generatorSchemaBounds.depth} levels: options are scalars or lists of scalars`;
    if (node !== null && typeof node === 'object') for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return undefined;
}

/** Check a generator's schema.json against pyrepo's generator meta-schema (its size first). */
export function checkGeneratorSchema(schema: unknown): string[] {
  const tooBig = schemaSizeProblem(schema);
  return tooBig ? [tooBig] : metaProblems(generatorMetaSchema, schema);
}

/** Check a preset.json against pyrepo's preset meta-schema. */
export function checkPresetFile(preset: unknown): string[] {
  return metaProblems(presetMetaSchema, preset);
}

function metaProblems(meta: object, data: unknown): string[] {
  const validate = validatorFor(meta);
  if (validate(structuredClone(data))) return [];
  const errors = validate.errors ?? [];
  // The boundedString/boundedArray rules say more than the oneOf/anyOf noise around them.
  const bounded = errors.filter(e => /\/bounded(String|Array)\/then\//.test(e.schemaPath));
  const boundedPaths = new Set(bounded.map(e => e.instancePath));
  const boundedMessages = [...boundedPaths].map(path =>
    bounded.some(e => e.instancePath === path && e.schemaPath.includes('boundedArray'))
      ? `${path}: a list option needs items and maxItems`
      : `${path}: a string option needs an enum, or a pattern, a maxLength and x-rule (the rule in words, shown in error messages)`,
  );
  const describe = (e: ErrorObject) => {
    const params = e.params as { additionalProperty?: string; propertyName?: string };
    if (e.keyword === 'propertyNames') return `option name "${params.propertyName}" is reserved (a project fact or run flag) or not camelCase`;
    return `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}${params.additionalProperty ? ` (${params.additionalProperty})` : ''}`;
  };
  const near = (e: ErrorObject) => [...boundedPaths].some(path => e.instancePath === path || e.instancePath.startsWith(`${path}/`) || path.startsWith(`${e.instancePath}/`));
  const specific = errors.filter(e => !e.schemaPath.includes('/propertyNames/') && !near(e) && !['if', 'oneOf', 'anyOf'].includes(e.keyword));
  const problems = [...specific.map(describe), ...boundedMessages];
  // A oneOf that failed only because both branches matched has nothing more specific to say.
  return problems.length > 0 ? problems : errors.filter(e => !e.schemaPath.includes('/propertyNames/')).map(describe);
}
