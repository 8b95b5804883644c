import { DockerfileParser, type Copy, type Instruction, type JSONInstruction, type Env } from 'dockerfile-ast';
import type dockerignoreFactory from '@balena/dockerignore';
import { validate } from 'dockerfile-utils';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkWithPython } from './checks.js';

/** Debian releases past their end of life (the official python images were built on them). */
const eolDebian = ['jessie', 'stretch', 'buster', 'bullseye'];

export interface DockerfileRules {
  /** A production image: the final stage builds nothing (no compiler, no install from an index). */
  production?: boolean;
}

const isJsonForm = (instruction: Instruction) => (instruction.getArgumentsContent() ?? '').trim().startsWith('[');

/**
 * What is wrong with a Dockerfile, beyond what linters see: the defects found by running images
 * (tini used but not installed, shell-form CMD, legacy ENV, root user, EOL or alpine base,
 * source copied before the requirements, a compiler in a production image). Empty: none found.
 */
export function checkDockerfile(text: string, rules: DockerfileRules = {}): string[] {
  const problems = validate(text).map(diagnostic => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  const dockerfile = DockerfileParser.parse(text);
  const stages: Instruction[][] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  const final = stages.at(-1) ?? [];
  const all = stages.flat();
  const line = (instruction: Instruction) => `line ${instruction.getRange().start.line + 1}`;
  const runs = (stage: Instruction[]) => stage.filter(i => i.getKeyword() === 'RUN').map(i => i.getArgumentsContent() ?? '');

  // Build-stage layers too stay in the build cache, the builder's history and any pushed cache.
  for (const copy of all.filter(i => ['COPY', 'ADD'].includes(i.getKeyword()))) {
    if (/(^|[\s/])pip\.conf(\s|$)/.test(copy.getArgumentsContent() ?? '')) problems.push(`${line(copy)}: ${copy.getKeyword()} of pip.conf puts its index credentials in a layer: mount it as a BuildKit secret (RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf)`);
  }
  const mounts = all.filter(i => i.getKeyword() === 'RUN' && /^RUN\s+--mount=/i.test(i.getTextContent()));
  // Parser directives are the file's first lines of the form "# key=value"; BuildKit stops looking at the first other line.
  const directives: string[] = [];
  for (const raw of text.split('\n')) {
    const directive = /^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(raw);
    if (!directive) break;
    directives.push(`${directive[1]!.toLowerCase()}=${directive[2]}`);
  }
  if (mounts.length > 0 && !directives.includes('syntax=docker/dockerfile:1')) problems.push(`${line(mounts[0]!)}: RUN --mount needs the BuildKit frontend: start the file with # syntax=docker/dockerfile:1`);
  for (const from of dockerfile.getFROMs()) {
    const image = from.getImage() ?? '';
    if (/alpine/.test(image)) problems.push(`${line(from)}: ${image} is alpine-based: musl makes pip build wheels from source; use a Debian-based image`);
    const eol = eolDebian.find(release => image.includes(release));
    if (eol) problems.push(`${line(from)}: ${image} is Debian ${eol}, past its end of life`);
    const python = /^python:3\.(\d+)/.exec(image);
    if (python && Number(python[1]) < 10) problems.push(`${line(from)}: ${image}: Python 3.${python[1]} is past its end of life`);
  }
  for (const env of dockerfile.getENVs() as Env[]) {
    for (const property of env.getProperties()) {
      if (property.getAssignmentOperator() === null) problems.push(`${line(env)}: ENV ${property.getName()} uses the legacy "ENV key value" form; write ENV ${property.getName()}=value`);
      if (property.getName() === 'LANG' && !/^C\.UTF-8$/i.test(property.getValue() ?? '') && !runs(final).some(run => run.includes('locales'))) {
        problems.push(`${line(env)}: LANG=${property.getValue()} names a locale the image does not have (install locales, or use C.UTF-8)`);
      }
    }
  }
  for (const instruction of final.filter(i => ['CMD', 'ENTRYPOINT'].includes(i.getKeyword()))) {
    if (!isJsonForm(instruction)) problems.push(`${line(instruction)}: ${instruction.getKeyword()} in shell form: the process is not PID 1's direct child and never gets SIGTERM; use the exec (JSON) form`);
  }
  const words = (keyword: string) => final.filter(i => i.getKeyword() === keyword).flatMap(i => (isJsonForm(i) ? (i as JSONInstruction).getJSONStrings().map(s => s.getJSONValue()) : [i.getArgumentsContent() ?? '']));
  const entrypoint = words('ENTRYPOINT');
  const cmd = words('CMD');
  if ([...entrypoint, ...cmd].some(word => /(^|\/)tini\b/.test(word))) {
    const installed = runs(final).some(run => /apt-get install[^&;]*\btini\b/.test(run)) || final.some(i => ['COPY', 'ADD'].includes(i.getKeyword()) && /tini/.test(i.getArgumentsContent() ?? ''));
    if (!installed) problems.push('tini is used in ENTRYPOINT or CMD but never installed in the final stage');
    if (entrypoint.some(word => /tini/.test(word)) && cmd.some(word => /tini/.test(word))) problems.push('tini appears in both ENTRYPOINT and CMD: the command runs under two inits');
  }
  const users = final.filter(i => i.getKeyword() === 'USER').map(i => (i.getArgumentsContent() ?? '').split(':')[0]!.trim());
  if (users.length === 0 || ['root', '0'].includes(users.at(-1)!)) problems.push('the final stage runs as root: add a USER with an unprivileged user');
  for (const add of final.filter(i => i.getKeyword() === 'ADD')) {
    if (!/https?:\/\//.test(add.getArgumentsContent() ?? '')) problems.push(`${line(add)}: ADD of local files: use COPY (ADD also unpacks archives and fetches URLs)`);
  }
  const sourceCopy = final.findIndex(i => ['COPY', 'ADD'].includes(i.getKeyword()) && /^(--\S+\s+)*\.\s/.test((i.getArgumentsContent() ?? '').trim()));
  const pipInstall = final.findIndex(i => i.getKeyword() === 'RUN' && /pip install/.test(i.getArgumentsContent() ?? ''));
  if (sourceCopy !== -1 && pipInstall !== -1 && sourceCopy < pipInstall) problems.push(`${line(final[sourceCopy]!)}: the source is copied before the requirements are installed: every code change reinstalls every dependency`);
  for (const run of runs(final).concat(stages.slice(0, -1).flatMap(runs))) {
    if (/apt-get install/.test(run) && !/--no-install-recommends/.test(run)) problems.push(`RUN ${run.slice(0, 40)}...: apt-get install without --no-install-recommends`);
    if (/apt-get (update|install)/.test(run) && !/rm -rf \/var\/lib\/apt\/lists/.test(run)) problems.push(`RUN ${run.slice(0, 40)}...: apt lists are left in the layer (rm -rf /var/lib/apt/lists/* in the same RUN)`);
  }
  if (rules.production) {
    if (runs(final).some(run => /apt-get install[^&;]*\b(gcc|build-essential|g\+\+|make)\b/.test(run))) problems.push('the production image installs a compiler in its final stage: build wheels in a build stage');
    for (const run of runs(final).filter(run => /pip install/.test(run))) {
      if (!/--no-index/.test(run)) problems.push(`RUN ${run.slice(0, 60)}: a production image installs from an index in its final stage, where source archives (uWSGI) find no compiler; install in a build stage and copy the result`);
    }
    const workdir = final.filter(i => i.getKeyword() === 'WORKDIR').at(-1)?.getArgumentsContent()?.trim();
    const user = users.at(-1);
    if (workdir && user && !['root', '0'].includes(user)) {
      const folder = workdir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const chowned = runs(final).some(run => new RegExp(`\\bchown\\b[^&;|]*\\s${folder}/?(\\s|$)`).test(run));
      const copiedOwned = final.some(
        i => i.getKeyword() === 'COPY' && /^\.\s/.test(i.getArgumentsContent() ?? '') && (i as Copy).getFlags().some(flag => flag.getName() === 'chown' && !/^(root|0)(:|$)/.test(flag.getValue() ?? '')),
      );
      if (chowned || copiedOwned) problems.push(`the application user ${user} owns ${workdir}, where the code is: it can replace what it runs; leave the source to root and give the user only the folders it writes`);
    }
  }
  return problems;
}

/**
 * Which of `paths` (relative, "/"-separated) a build context holds under this .dockerignore, by
 * Docker's own matching rules (@balena/dockerignore ports moby's): what `COPY . .` can copy.
 */
export function inBuildContext(dockerignore: string, paths: string[]): string[] {
  // A CommonJS module whose types claim a default export: required as it is.
  const ignore = createRequire(import.meta.url)('@balena/dockerignore') as typeof dockerignoreFactory.default;
  return ignore().add(dockerignore.split('\n')).filter(paths);
}

/**
 * What a .dockerignore lets into the build context (and so into `COPY . .`) of what must never
 * enter an image: history, the project's virtual environment and one under any usual venv name,
 * .env files, pip.conf (an index token), bytecode caches.
 */
export function checkDockerignore(text: string, venvDir: string): string[] {
  const mustStayOut: Array<[string, string]> = [
    ['git history', '.git/config'],
    ...[...new Set([venvDir, '.venv', 'venv', 'env'])].map((dir): [string, string] => [`the virtual environment folder ${dir}`, `${dir}/bin/python`]),
    ['.env files (secrets)', '.env'],
    ['.env files (secrets)', '.env.production'],
    ['pip.conf (index credentials)', 'pip.conf'],
    ['bytecode caches', 'app/__pycache__/views.cpython-312.pyc'],
  ];
  const kept = new Set(inBuildContext(text, mustStayOut.map(([, path]) => path)));
  return [...new Set(mustStayOut.filter(([, path]) => kept.has(path)).map(([what]) => `.dockerignore does not exclude ${what}`))];
}

/**
 * Check a compose file with docker-compose's own loader; published ports must listen on 127.0.0.1
 * unless the file says every interface is the user's choice.
 */
export function checkCompose(dir: string, file = 'docker-compose.yaml'): string[] {
  const path = join(dir, file);
  return checkWithPython([{ path, kind: 'compose' }]).get(path) ?? [];
}

/** One instruction of a Dockerfile, for a test that performs an image's steps elsewhere. */
export interface DockerfileStep {
  keyword: string;
  /** The arguments as written (continuation lines kept), without the flags. */
  args: string;
  /** The flags by name: RUN --mount=type=bind,source=x,target=/y gives ['mount', 'type=bind,source=x,target=/y']. */
  flags: Array<[string, string]>;
  /** ENV's variables, in order. */
  env?: Array<[string, string]>;
  /** A JSON-form CMD's or ENTRYPOINT's words. */
  json?: string[];
}

/** The instructions of a Dockerfile, in order, parsed by dockerfile-ast. */
export function dockerfileSteps(text: string): DockerfileStep[] {
  return DockerfileParser.parse(text).getInstructions().map(instruction => {
    const keyword = instruction.getKeyword();
    const flags: Array<[string, string]> = 'getFlags' in instruction ? (instruction as Copy).getFlags().map(flag => [flag.getName(), flag.getValue() ?? '']) : [];
    const step: DockerfileStep = { keyword, args: (instruction.getArgumentsContent() ?? '').replace(/^(\s*--[\w-]+(=\S*)?\s+)+/, ''), flags };
    if (keyword === 'ENV') step.env = (instruction as Env).getProperties().map(property => [property.getName(), property.getValue() ?? '']);
    if ((keyword === 'CMD' || keyword === 'ENTRYPOINT') && isJsonForm(instruction)) step.json = (instruction as JSONInstruction).getJSONStrings().map(word => word.getJSONValue());
    return step;
  });
}

/**
 * For a rehearsal without a Docker engine: a function that moves an image's paths (each of
 * `imagePaths`, where it stands as a whole path in a text) below a scratch root.
 */
export function imagePathsIn(imagePaths: string[]): (root: string, text: string) => string {
  const imagePath = new RegExp(`(?<![\\w.-])(${imagePaths.join('|')})(?=[/\\s"':]|$)`, 'gm');
  return (root, text) => text.replace(imagePath, path => `${root}${path}`);
}
