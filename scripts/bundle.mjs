// Bundles the CLI (packages/cli/dist/src/cli.js, with core and the built-in generators the catalog
// imports) into packages/cli/dist/bundle/pyrepo.cjs, which the `pyrepo` bin runs with V8's code
// cache; and generator-pyrepo's Yeoman entry (what `yo pyrepo:<name>` loads) into
// packages/generator-pyrepo/dist/bundle/. Loading ~2,000 separate modules was most of pyrepo's
// start-up time (docs/performance.md). Modules for yeoman-environment features pyrepo never uses
// are left out (bundle-shims/left-out.js); Inquirer, npm's version lookup and ora's spinner load on
// first use; read-package-up is replaced by the few lines yeoman-generator's one call needs.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const shims = join(import.meta.dirname, 'bundle-shims');
const leftOut = ['fly-import', 'globby', 'commander'];
const lazy = ['inquirer', 'latest-version', 'ora'];
// Loaded on first use, synchronously (their callers are): CommonJS files of their own beside the bundle.
const lazySync = ['execa', 'simple-git'];
// Files that dependencies of core load by path at run time (WebAssembly), copied under each bundle's
// package-files/: web-tree-sitter finds its runtime beside its own code (its import.meta.url is
// rewritten, below), core finds the Python grammar there when __pyrepoBundle is defined
// (python-source.ts). The runtime is the one its bundled code was built for, whatever is installed.
const runtimeFiles = ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm'];
const coreRequire = createRequire(join(root, 'packages', 'core', 'package.json'));

/** The package (the folder holding a package.json with a name, and that name) of a file in node_modules. */
function packageOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    const name = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).name : undefined;
    if (name) return { packageDir: dir, name };
  }
  throw new Error(`bundle: no package.json above ${file}`);
}

/**
 * yargs takes the application's folder to be the one above its own node_modules, and reads the
 * version from the package.json it finds up from there. Bundled, yargs is in no node_modules, so it
 * searched from the user's folder: without a package.json above it (a Python project), it failed an
 * assertion whose error formats a stack through the whole bundle (~8 ms a run). The bundle's
 * application folder is its own: it finds pyrepo's package.json.
 */
function withYargsAppRoot(file, contents) {
  if (!/[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/.test(file)) return contents;
  const mainFilename = "const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));";
  if (!contents.includes(mainFilename)) throw new Error(`bundle: ${file} no longer sets mainFilename as expected; update withYargsAppRoot.`);
  return contents.replace(mainFilename, "const mainFilename = fileURLToPath(new URL('./', import.meta.url));");
}

/**
 * The plugin of one bundle; `packagesUsingMetaUrl` collects the package.json files to copy. With
 * `lazyFiles`, the modules loaded on first use are left out of the bundle, as files of their own
 * (lazy-<name>.mjs beside it): `lazyFiles` collects where each is.
 */
function bundlePlugin(packagesUsingMetaUrl, lazyFiles, lazySyncFiles) {
  const importerDirs = new Map();
  return {
    name: 'pyrepo-bundle',
    setup(build) {
      /** The real module a shim stands for, resolved from where the shimmed name was imported. */
      const resolveReal = async (name, kind) => {
        const result = await build.resolve(name, { kind, resolveDir: importerDirs.get(name), pluginData: 'real' });
        if (result.errors.length > 0) throw new Error(`bundle: cannot resolve ${name}: ${result.errors.map(error => error.text).join('; ')}`);
        return result.path;
      };
      build.onResolve({ filter: new RegExp(`^(${leftOut.join('|')})$`) }, () => ({ path: join(shims, 'left-out.js') }));
      // Core itself, not its package entry (which hands out a bundle's core: scripts/core-entry.mjs).
      build.onResolve({ filter: /^@pyrepo\/core$/ }, () => ({ path: join(root, 'packages', 'core', 'dist', 'src', 'index.js') }));
      // Loaded on first use: the shim calls the default export of `lazy:<name>`, which imports the
      // real module (resolved from where it was imported): a chunk of an ES module bundle, or a file
      // of its own beside a CommonJS one, imported through packages/cli/src/load-bundle.ts.
      for (const name of [...lazy, ...lazySync]) {
        build.onResolve({ filter: new RegExp(`^${name}$`) }, args => {
          if (args.pluginData === 'real') return undefined; // resolving the real module, for lazy:<name>
          importerDirs.set(name, args.resolveDir);
          return { path: join(shims, `${name}.js`) };
        });
      }
      // Core imports web-tree-sitter with import() in a module of its own: the same loading on first use.
      const webTreeSitterLoader = join(root, 'packages', 'core', 'dist', 'src', 'load-web-tree-sitter.js');
      build.onLoad({ filter: /[\\/]load-web-tree-sitter\.js$/ }, args => {
        if (args.path !== webTreeSitterLoader) throw new Error(`bundle: unexpected ${args.path}`);
        importerDirs.set('web-tree-sitter', dirname(args.path));
        return { contents: "export { default as loadWebTreeSitter } from 'lazy:web-tree-sitter';", resolveDir: dirname(args.path) };
      });
      build.onResolve({ filter: /^lazy:/ }, async args => {
        const name = args.path.slice('lazy:'.length);
        const real = await resolveReal(name, 'dynamic-import');
        lazyFiles?.set(name, real);
        return { path: name, namespace: 'lazy', pluginData: real };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy' }, args => ({
        contents: lazyFiles
          ? `export default () => globalThis[Symbol.for('pyrepo.importModule')](new URL(${JSON.stringify(`./lazy-${args.path}.mjs`)}, __pyrepoUrl).href);`
          : `export default () => import(${JSON.stringify(args.pluginData)});`,
        resolveDir: dirname(args.pluginData),
      }));
      build.onResolve({ filter: /^lazy-sync:/ }, async args => {
        const name = args.path.slice('lazy-sync:'.length);
        lazySyncFiles.set(name, await resolveReal(name, 'require-call'));
        return { path: name, namespace: 'lazy-sync' };
      });
      // (In the CommonJS bundle, import.meta.url is defined as the bundle's own URL; require is Node's.)
      build.onLoad({ filter: /.*/, namespace: 'lazy-sync' }, args => ({
        contents: `import { fileURLToPath } from 'node:url';\nlet loaded;\nexport default () => (loaded ??= require(fileURLToPath(new URL(${JSON.stringify(`./lazy-${args.path}.cjs`)}, import.meta.url))));`,
      }));
      // yeoman-generator gives every generator lodash as this._ (import * as _): the whole library
      // (~30 ms to set up) for a helper built-in generators do not use. It gets a namespace of the
      // same names that loads lodash, synchronously, on first use.
      build.onResolve({ filter: /^lodash-es$/ }, args => {
        if (args.pluginData === 'real' || !/yeoman-generator[\\/]dist[\\/]generator\.js$/.test(args.importer)) return undefined;
        importerDirs.set('lodash-es', args.resolveDir);
        return { path: 'lodash-es', namespace: 'lodash-namespace' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lodash-namespace' }, async () => {
        const lodash = await import(pathToFileURL(await resolveReal('lodash-es', 'import-statement')).href);
        const names = Object.keys(lodash).filter(name => name !== 'default' && typeof lodash[name] === 'function');
        const objects = Object.keys(lodash).filter(name => name !== 'default' && typeof lodash[name] !== 'function');
        return {
          contents: [
            "import load from 'lazy-sync:lodash-es';",
            ...names.map(name => `export function ${name}(...args) { return load().${name}.apply(this, args); }`),
            ...objects.map(name => `export const ${name} = new Proxy({}, { get: (_, key) => load().${name}[key], set: (_, key, value) => ((load().${name}[key] = value), true) });`),
            'export default function lodashDefault(...args) { return load().default.apply(this, args); }',
          ].join('\n'),
          resolveDir: importerDirs.get('lodash-es'),
        };
      });
      build.onResolve({ filter: /^read-package-up$/ }, () => ({ path: join(shims, 'read-package-up.js') }));
      // A dependency that finds its own files from import.meta.url (its package.json, mostly) finds
      // them under the bundle's package-files/<name>/, where its package.json is copied (not under
      // node_modules/, which npm leaves out of a published package).
      build.onLoad({ filter: /node_modules.*\.(m?js)$/ }, args => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const { packageDir, name } = packageOf(args.path);
        packagesUsingMetaUrl.set(name, packageDir);
        // (In the CommonJS bundle, import.meta.url is defined as the bundle's own URL.)
        const url = `new URL(${JSON.stringify(`./package-files/${name}/${relative(packageDir, args.path)}`)}, import.meta.url).href`;
        return { contents: withYargsAppRoot(args.path, source.replaceAll('import.meta.url', url)), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Copy `runtimeFiles` under the bundle folder `outdir`. */
function copyRuntimeFiles(outdir) {
  for (const file of runtimeFiles) {
    mkdirSync(dirname(join(outdir, 'package-files', file)), { recursive: true });
    cpSync(coreRequire.resolve(file), join(outdir, 'package-files', file));
  }
}

/** Bundle `entryPoints` into `outdir` with the shared settings; `options` adds esbuild's own. */
async function bundle(outdir, options, lazyFiles) {
  const packagesUsingMetaUrl = new Map();
  const lazySyncFiles = new Map();
  const result = await build({
    bundle: true,
    platform: 'node',
    target: 'node20.17',
    outdir,
    plugins: [bundlePlugin(packagesUsingMetaUrl, lazyFiles, lazySyncFiles)],
    // --metafile: what went into each output (esbuild's analyzer reads it).
    metafile: process.argv.includes('--metafile'),
    // --sourcemap: <output>.map beside each output, for attributing a CPU profile to the sources
    // (test/bench/profile-by-source.mjs); the code itself is the same.
    sourcemap: process.argv.includes('--sourcemap') ? 'external' : false,
    logLevel: 'warning',
    legalComments: 'none',
    // Less to read and to check against the code cache at every start; names stay as written, so
    // stack traces (--debug) still say where.
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    ...options,
    define: { ...options.define, __pyrepoBundle: 'true' },
  });
  for (const [name, dir] of packagesUsingMetaUrl) {
    mkdirSync(join(outdir, 'package-files', name), { recursive: true });
    cpSync(join(dir, 'package.json'), join(outdir, 'package-files', name, 'package.json'));
  }
  for (const [name, file] of lazySyncFiles) {
    await bundle(outdir, { entryPoints: { [`lazy-${name}`]: file }, format: 'cjs', outExtension: { '.js': '.cjs' }, define: { 'import.meta.url': '__pyrepoUrl' }, banner: cjsMetaUrl });
  }
  if (result.metafile) writeFileSync(join(outdir, `metafile-${Object.keys(options.entryPoints).join('-')}.json`), JSON.stringify(result.metafile));
}

// CommonJS dependencies of an ES module bundle call require(): give it one.
const esmRequire = { js: "import { createRequire as __pyrepoCreateRequire } from 'node:module';\nconst require = __pyrepoCreateRequire(import.meta.url);" };
// import.meta.url in a CommonJS bundle: its own file's URL.
const cjsMetaUrl = { js: "const __pyrepoUrl = require('node:url').pathToFileURL(__filename).href;" };
const cliOut = join(root, 'packages', 'cli', 'dist', 'bundle');
// What yo loads for `yo pyrepo:<name>`: the same code, bundled the same way (as ES modules, for yo).
const yeomanOut = join(root, 'packages', 'generator-pyrepo', 'dist', 'bundle');
for (const dir of [cliOut, yeomanOut]) rmSync(dir, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  // The CLI: one CommonJS module, as a function expression (packages/cli/src/load-bundle.ts runs it
  // with V8's code cache).
  // Modules imported with import() are evaluated when first imported, as in ESM; those loaded on
  // first use are files of their own, read only then.
  const lazyFiles = new Map();
  await bundle(cliOut, {
    entryPoints: { pyrepo: join(root, 'packages', 'cli', 'dist', 'src', 'cli.js') },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    define: { 'import.meta.url': '__pyrepoUrl', 'import.meta.resolve': '__pyrepoResolve' },
    // Wrapped as Node wraps a CommonJS module, here rather than by the loader: joining the 1.4 MB
    // text at run time kept a second copy of it in the heap, enough to bring on a full GC.
    banner: { js: `(function (exports, require, module, __filename, __dirname) {\n${cjsMetaUrl.js}\nconst __pyrepoResolve = specifier => require('node:url').pathToFileURL(require.resolve(specifier)).href;` },
    footer: { js: '\n})' },
  }, lazyFiles);
  // load-bundle.ts reads it as one-byte (latin1) text: it must stay ASCII.
  if (readFileSync(join(cliOut, 'pyrepo.cjs')).some(byte => byte > 0x7f)) throw new Error('bundle: pyrepo.cjs is not ASCII; load-bundle.ts reads it as latin1.');
  for (const [name, file] of lazyFiles) {
    await bundle(cliOut, { entryPoints: { [`lazy-${name}`]: file }, format: 'esm', outExtension: { '.js': '.mjs' }, banner: esmRequire });
  }
  copyRuntimeFiles(cliOut);
  await bundle(yeomanOut, {
    entryPoints: { yeoman: join(root, 'packages', 'generator-pyrepo', 'dist', 'src', 'yeoman.js') },
    format: 'esm',
    splitting: true,
    // Chunks sit next to the entry: the package-files/ paths of bundlePlugin are relative to every one of them.
    chunkNames: '[name]-[hash]',
    banner: esmRequire,
  });
  copyRuntimeFiles(yeomanOut);
}
