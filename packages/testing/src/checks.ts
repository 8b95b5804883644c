import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { toolError } from './tools.js';

const pythonDir = new URL('../../python/', import.meta.url);

/** Debian's Python (it sees python3-* packages such as pip, packaging, django); else python3 on PATH. */
export const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Run a program and return its output; on failure throw with all it said, so a test failure shows what the tool reported. */
export function runTool(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', input: options.input, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw toolError(command, result.error);
  if (result.status === 0) return result.stdout;
  const status = result.status ?? result.error?.message ?? result.signal;
  throw new Error(`${command} ${args.join(' ')} failed (${status}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
}

/** The checks check_files.py runs, each with the parser of the tool that reads the file. */
export type PythonCheckedKind = 'python' | 'pyproject' | 'requirements' | 'compose' | 'pip-config' | 'app-config' | 'supervisor';

/** Check files in one Python process (Debian's python3, where the tools' own parsers live): problems by path. */
export function checkWithPython(files: Array<{ path: string; kind: PythonCheckedKind }>): Map<string, string[]> {
  if (files.length === 0) return new Map();
  const output = runTool(python, [new URL('check_files.py', pythonDir).pathname], { input: JSON.stringify(files.map(({ path, kind }) => ({ path, kind }))) });
  return new Map(Object.entries(JSON.parse(output) as Record<string, string[]>));
}

/** Parse requirements files with pip's parser (every `-r` must resolve); the requirements each file yields, includes followed. */
export function parseRequirementsFiles(dir: string, files: string[]): Record<string, string[]> {
  const output = runTool(python, [new URL('check_requirements.py', pythonDir).pathname, ...files], { cwd: dir });
  return JSON.parse(output) as Record<string, string[]>;
}

/** pyproject.toml as Python's tomllib reads it, after `validate-pyproject` accepted it. */
export function checkPyproject(dir: string): Record<string, unknown> {
  runTool('validate-pyproject', [join(dir, 'pyproject.toml')]);
  return JSON.parse(runTool(python, [new URL('check_pyproject.py', pythonDir).pathname, join(dir, 'pyproject.toml')])) as Record<string, unknown>;
}

/** Groovy's launcher needs JAVA_HOME when the system has no default-java link. */
function groovyEnvironment(): NodeJS.ProcessEnv {
  const java = realpathSync(execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim());
  return { ...process.env, JAVA_HOME: dirname(dirname(java)) };
}

/** Groovy's parser over many files (Jenkinsfiles), in one JVM: problems by path. */
export function checkGroovyFiles(paths: string[]): Map<string, string[]> {
  const problems = new Map(paths.map(path => [path, [] as string[]]));
  if (paths.length === 0) return problems;
  const script = 'args.each { path -> try { new GroovyShell().parse(new File(path)) } catch (e) { println(path + "\\t" + e.message.replace("\\n", " ")) } }';
  const output = runTool('groovy', ['-e', script, ...paths], { env: groovyEnvironment() });
  for (const line of output.split('\n').filter(Boolean)) {
    const [path = '', message = ''] = line.split('\t');
    problems.get(path)?.push(message);
  }
  return problems;
}

/** What a declarative pipeline runs in one kind of build: its stages (skipped ones apart), shell steps and archived artifacts, by stage path ("Release > Build"). */
export interface PipelineRun {
  stages: string[];
  skipped: string[];
  sh: Array<{ stage: string; script: string }>;
  archived: Array<{ stage: string; artifacts: string }>;
}

/**
 * Run a Jenkinsfile in Groovy against a model of Jenkins' declarative steps (groovy/pipeline.groovy:
 * `when` with buildingTag, changeRequest, branch, tag, not, allOf, anyOf; sh; archiveArtifacts on
 * success) as a branch build, a pull request or a tag build. An unknown step or directive fails.
 */
export function runPipeline(path: string, build: 'branch' | 'pr' | 'tag'): PipelineRun {
  const model = new URL('../../groovy/pipeline.groovy', import.meta.url).pathname;
  const output = runTool('groovy', [model, path, build], { env: groovyEnvironment() });
  const run: PipelineRun = { stages: [], skipped: [], sh: [], archived: [] };
  for (const line of output.split('\n').filter(Boolean)) {
    const [kind, stage = '', detail = ''] = line.split('\t');
    if (kind === 'stage') run.stages.push(stage);
    else if (kind === 'skip') run.skipped.push(stage);
    else if (kind === 'sh') run.sh.push({ stage, script: detail.replaceAll('\\n', '\n') });
    else if (kind === 'archive') run.archived.push({ stage, artifacts: detail });
  }
  return run;
}

/** Parse a Groovy file (a Jenkinsfile) with Groovy's own parser: its problems, or none. */
export function checkGroovy(path: string): string[] {
  return checkGroovyFiles([path]).get(path)!;
}

/**
 * The generated tests run under coverage with the repository's own configuration, by Debian's
 * python3-coverage (`coverage run -m pytest`, then `coverage json`), writing nothing into the
 * repository: the files it measured (relative paths) and what it warned about ("No data was
 * collected", "Module x was never imported"). Throws when the tests fail.
 */
export function measureCoverage(dir: string, env: NodeJS.ProcessEnv = {}): { measured: string[]; warnings: string[] } {
  const scratch = mkdtempSync(join(tmpdir(), 'pyrepo-coverage-'));
  try {
    const toolEnv = { PATH: process.env.PATH, HOME: scratch, PYTHONDONTWRITEBYTECODE: '1', COVERAGE_FILE: join(scratch, 'data'), ...env };
    const run = spawnSync(python, ['-m', 'coverage', 'run', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: dir, env: toolEnv, encoding: 'utf8' });
    if (run.error) throw toolError(python, run.error);
    if (run.status !== 0) throw new Error(`coverage run -m pytest failed (${run.status}):\n${run.stdout}${run.stderr}`);
    const report = spawnSync(python, ['-m', 'coverage', 'json', '-o', join(scratch, 'coverage.json')], { cwd: dir, env: toolEnv, encoding: 'utf8' });
    const warnings = `${run.stderr}\n${report.stderr}`.split('\n').filter(line => /CoverageWarning|No data/.test(line));
    if (report.status !== 0) return { measured: [], warnings: [...warnings, `coverage json failed: ${report.stdout}${report.stderr}`.trim()] };
    const data = JSON.parse(readFileSync(join(scratch, 'coverage.json'), 'utf8')) as { files: Record<string, unknown> };
    return { measured: Object.keys(data.files).map(file => (isAbsolute(file) ? relative(dir, file) : file)).sort(), warnings };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
