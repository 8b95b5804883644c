import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

const pythonDir = new URL('../../python/', import.meta.url);

/** Debian's Python (it sees python3-* packages such as pip, packaging, django); else python3 on PATH. */
export const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Run a program and return its output (with `stderr: true`, what it wrote to stderr too); on
 * failure throw with all it said, so a test failure shows what the tool reported.
 */
export function runTool(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stderr?: boolean; input?: string } = {}): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', input: options.input, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (result.status === 0) return options.stderr ? `${result.stdout}${result.stderr}` : result.stdout;
  const status = result.status ?? result.error?.message ?? result.signal;
  throw new Error(`${command} ${args.join(' ')} failed (${status}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
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

/** Parse a Groovy file (a Jenkinsfile) with Groovy's own parser: its problems, or none. */
export function checkGroovy(path: string): string[] {
  const java = realpathSync(execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim());
  const env = { ...process.env, JAVA_HOME: dirname(dirname(java)) };
  try {
    runTool('groovy', ['-e', 'new GroovyShell().parse(new File(args[0]))', path], { env });
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
