import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Registry, type Catalog } from '../src/index.js';

const made: string[] = [];
process.on('exit', () => made.forEach(dir => rmSync(dir, { recursive: true, force: true })));

/** A temporary folder, removed when the test process exits. */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function write(root: string, files: Record<string, unknown>): void {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof contents === 'string' ? contents : JSON.stringify(contents, null, 2));
  }
}

export function generatorSchema(name: string, properties: Record<string, unknown> = {}) {
  return { $id: `pyrepo-generator://${name}`, title: name, description: `The ${name} generator.`, type: 'object', additionalProperties: false, properties };
}

/** A folder holding built-in-like packages (alpha, beta generators; base, child presets) and a catalog for them. */
export function fixture(): { root: string; catalog: Catalog; registry: (cwd?: string) => Registry } {
  const root = scratch('pyrepo-core-');
  const generator = (name: string, properties: Record<string, unknown>) => ({
    [`node_modules/@pyrepo/generator-${name}/package.json`]: { name: `@pyrepo/generator-${name}`, version: '1.0.0', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } },
    [`node_modules/@pyrepo/generator-${name}/schema.json`]: generatorSchema(name, properties),
    [`node_modules/@pyrepo/generator-${name}/index.js`]: 'export default class {}\n',
  });
  const preset = (name: string, data: Record<string, unknown>) => ({
    [`node_modules/@pyrepo/preset-${name}/package.json`]: { name: `@pyrepo/preset-${name}`, version: '1.0.0', pyrepo: { kind: 'preset' } },
    [`node_modules/@pyrepo/preset-${name}/preset.json`]: { name, description: `The ${name} preset.`, ...data },
  });
  write(root, {
    ...generator('alpha', {
      level: { type: 'integer', minimum: 1, maximum: 9, default: 3, description: 'A level.' },
      shared: { type: 'string', default: 'a', maxLength: 20, pattern: '^[a-z]+$', 'x-rule': 'lowercase letters', description: 'Shared by alpha and beta.' },
    }),
    ...generator('beta', {
      mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe', description: 'A mode.', 'x-prompt': 'Which mode?' },
      shared: { type: 'string', default: 'b', maxLength: 20, pattern: '^[a-z]+$', 'x-rule': 'lowercase letters', description: 'Shared by alpha and beta.' },
    }),
    ...preset('base', { context: { framework: 'django', python: '3.11' }, generators: ['alpha', ['beta', { mode: 'fast' }]] }),
    ...preset('child', { extends: 'base', context: { python: '3.13' }, generators: [['alpha', { level: 5 }]] }),
  });
  const catalog: Catalog = {
    generators: ['alpha', 'beta'].map(name => ({ name, package: `@pyrepo/generator-${name}`, description: `The ${name} generator.` })),
    presets: ['base', 'child'].map(name => ({ name, package: `@pyrepo/preset-${name}`, description: `The ${name} preset.` })),
  };
  return { root, catalog, registry: (cwd = join(root, 'work')) => new Registry({ catalog, catalogDir: root, cwd }) };
}
