// Bundles the CLI (packages/cli/dist/src/bin.js, with core and the built-in generators the catalog
// imports) into packages/cli/dist/bundle/: one start-up file for list/info/--help, chunks loaded on
// demand for runs and each generator. Loading ~2,000 separate modules was most of pyrepo's start-up
// time (docs/performance.md). Modules for Yeoman features pyrepo never uses are left out
// (bundle-shims/left-out.js); Inquirer and npm's version lookup load on first use; read-package-up is
// replaced by the few lines yeoman-generator's one call needs.
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const shims = join(import.meta.dirname, 'bundle-shims');
const leftOut = ['fly-import', 'globby', 'commander', 'execa', 'simple-git'];
const lazy = ['inquirer', 'latest-version'];

/** The package folder (the one holding package.json with a name) of a file in node_modules. */
function packageDirOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name) return dir;
  }
  throw new Error(`bundle: no package.json above ${file}`);
}

/** The plugin of one bundle; `packagesUsingMetaUrl` collects the package.json files to copy. */
function bundlePlugin(packagesUsingMetaUrl) {
  const importerDirs = new Map();
  return {
    name: 'pyrepo-bundle',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${leftOut.join('|')})$`) }, () => ({ path: join(shims, 'left-out.js') }));
      // Loaded on first use: the shim imports `real:<name>`, resolved from where the module was imported.
      for (const name of lazy) {
        build.onResolve({ filter: new RegExp(`^${name}$`) }, args => {
          if (args.pluginData === 'real') return undefined; // the real module, for the shim's import
          importerDirs.set(name, args.resolveDir);
          return { path: join(shims, `${name}.js`) };
        });
      }
      build.onResolve({ filter: /^real:/ }, async args => {
        const name = args.path.slice('real:'.length);
        const result = await build.resolve(name, { kind: args.kind, resolveDir: importerDirs.get(name), pluginData: 'real' });
        if (result.errors.length > 0) return { errors: result.errors };
        return { path: result.path };
      });
      build.onResolve({ filter: /^read-package-up$/ }, () => ({ path: join(shims, 'read-package-up.js') }));
      // A dependency that finds its own files from import.meta.url (its package.json, mostly) finds
      // them under the bundle's node_modules/<name>/, where its package.json is copied.
      build.onLoad({ filter: /node_modules.*\.(m?js)$/ }, args => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const packageDir = packageDirOf(args.path);
        const name = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).name;
        packagesUsingMetaUrl.set(name, packageDir);
        const url = `new URL(${JSON.stringify(`./node_modules/${name}/${relative(packageDir, args.path)}`)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Bundle `entryPoints` into `outdir`: ESM chunks next to each other, loaded on demand. */
async function bundle(entryPoints, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  const packagesUsingMetaUrl = new Map();
  const result = await build({
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.17',
    outdir,
    // Chunks sit next to the entries: the node_modules/ paths of bundlePlugin are relative to every one of them.
    chunkNames: '[name]-[hash]',
    // CommonJS dependencies call require(): give the bundle one.
    banner: { js: "import { createRequire as __pyrepoCreateRequire } from 'node:module';\nconst require = __pyrepoCreateRequire(import.meta.url);" },
    plugins: [bundlePlugin(packagesUsingMetaUrl)],
    // --metafile: what went into each chunk (esbuild's analyzer reads it).
    metafile: process.argv.includes('--metafile'),
    logLevel: 'warning',
    legalComments: 'none',
  });
  for (const [name, dir] of packagesUsingMetaUrl) {
    mkdirSync(join(outdir, 'node_modules', name), { recursive: true });
    cpSync(join(dir, 'package.json'), join(outdir, 'node_modules', name, 'package.json'));
  }
  if (result.metafile) writeFileSync(join(outdir, 'metafile.json'), JSON.stringify(result.metafile));
}

const cliOut = join(root, 'packages', 'cli', 'dist', 'bundle');
// What yo loads for `yo pyrepo:<name>`: the same code, bundled the same way.
const yeomanOut = join(root, 'packages', 'generator-pyrepo', 'dist', 'bundle');
if (process.argv.includes('--clean')) {
  for (const dir of [cliOut, yeomanOut]) rmSync(dir, { recursive: true, force: true });
} else {
  // `core` is the bundle's @pyrepo/core, which generators from packages and paths are given (see cli's shared-core.ts).
  await bundle({ pyrepo: join(root, 'packages', 'cli', 'dist', 'src', 'bin.js'), core: join(root, 'packages', 'core', 'dist', 'src', 'index.js') }, cliOut);
  chmodSync(join(cliOut, 'pyrepo.js'), 0o755);
  await bundle({ yeoman: join(root, 'packages', 'generator-pyrepo', 'dist', 'src', 'yeoman.js') }, yeomanOut);
}
