import { toFlag } from './json.js';
import { describeExpectation, resolveOption, type GeneratorSchema, type OptionSchema } from './schema.js';

export const optionsTableBegin = '<!-- pyrepo:options:begin (generated from schema.json by `pnpm codegen`) -->';
export const optionsTableEnd = '<!-- pyrepo:options:end -->';

function typeLabel(option: OptionSchema): string {
  const resolved = resolveOption(option);
  if (resolved.type === 'array') {
    const items = resolved.items ? resolveOption(resolved.items) : undefined;
    return `${items?.enum ? 'list of enum' : `list of ${items?.type ?? 'string'}`}`;
  }
  return resolved.enum ? 'enum' : (resolved.type ?? 'string');
}

function defaultLabel(option: OptionSchema): string {
  const value = resolveOption(option).default;
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') || '(none)' : String(value);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown options table of a schema, as each generator README shows it. */
export function renderOptionsTable(schema: GeneratorSchema): string {
  const rows = Object.entries(schema.properties).map(([name, option]) => {
    const values = describeExpectation(option);
    return `| \`--${toFlag(name)}\` | ${typeLabel(option)} | ${cell(defaultLabel(option) ? `\`${defaultLabel(option)}\`` : '')} | ${cell(option.description)} Accepts ${cell(values)}. |`;
  });
  if (rows.length === 0) return 'This generator has no options of its own; it uses the project facts (`--name`, `--package`, `--python`, ...).';
  return ['| Option | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Replace the generated options table inside a README (between its markers). */
export function withOptionsTable(readme: string, schema: GeneratorSchema): string {
  const start = readme.indexOf(optionsTableBegin);
  const end = readme.indexOf(optionsTableEnd);
  if (start === -1 || end === -1 || end < start) throw new Error(`README lacks the options table markers: ${optionsTableBegin} ... ${optionsTableEnd}`);
  return `${readme.slice(0, start)}${optionsTableBegin}\n${renderOptionsTable(schema)}\n${readme.slice(end)}`;
}

function tsType(option: OptionSchema): string {
  const resolved = resolveOption(option);
  if (resolved.enum) return resolved.enum.map(value => JSON.stringify(value)).join(' | ');
  if (resolved.type === 'array') {
    const items = resolved.items ? tsType(resolveOption(resolved.items)) : 'string';
    return items.includes('|') ? `Array<${items}>` : `${items}[]`;
  }
  if (resolved.type === 'integer' || resolved.type === 'number') return 'number';
  return resolved.type ?? 'unknown';
}

/** The TypeScript options interface of a schema (src/options.ts of a generator). */
export function renderOptionsType(schema: GeneratorSchema, typeName = 'Options'): string {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties).map(([name, option]) => {
    const resolved = resolveOption(option);
    const optional = resolved.default === undefined && !required.has(name) ? '?' : '';
    const defaultNote = resolved.default === undefined ? '' : ` Default: ${JSON.stringify(resolved.default)}.`;
    return `  /** ${option.description.replace(/\*\//g, '*\\/')}${defaultNote} */\n  ${name}${optional}: ${tsType(option)};`;
  });
  return [
    '// Generated from schema.json by `pnpm codegen`: do not edit.',
    `/** ${schema.title}: options after validation (defaults applied). */`,
    `export interface ${typeName} {`,
    ...fields,
    '}',
    '',
  ].join('\n');
}

/** An option's help text, as every front end shows it: what it is, what it accepts, its default. */
export function describeFlag(option: OptionSchema, sameAsFlag?: string): string {
  const fallback = defaultLabel(option);
  return `${option.description} Accepts ${sameAsFlag ? `the same as ${sameAsFlag}` : describeExpectation(option)}.${fallback ? ` [default: ${fallback}]` : ''}`;
}

/**
 * The help text of each flag of a schema, by flag name: a rule several options share (the PEP 508
 * paragraph of the four requirements lists) is spelled out at its first flag, the others refer to it.
 */
export function describeFlags(schema: GeneratorSchema): Record<string, string> {
  const firstWith = new Map<string, string>();
  return Object.fromEntries(
    Object.entries(schema.properties).map(([name, option]) => {
      const flag = `--${toFlag(name)}`;
      const expectation = describeExpectation(option);
      const sameAs = firstWith.get(expectation);
      if (!sameAs) firstWith.set(expectation, flag);
      // Short rules read better repeated than referred to.
      return [flag, describeFlag(option, sameAs && expectation.length > 80 ? sameAs : undefined)];
    }),
  );
}

/** Plain-text option lines for `pyrepo info`. */
export function renderOptionsHelp(schema: GeneratorSchema): string[] {
  return Object.entries(describeFlags(schema)).map(([flag, description]) => `  ${flag}  ${description}`);
}
