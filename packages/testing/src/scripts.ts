import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { toolError } from './tools.js';

/** shellcheck over every script at once, plus an executable bit and `set -eu` in each: problems by path. */
export function checkShellScripts(paths: string[]): Map<string, string[]> {
  const problems = new Map(paths.map(path => [path, [] as string[]]));
  if (paths.length === 0) return problems;
  for (const path of paths) {
    if ((statSync(path).mode & 0o111) === 0) problems.get(path)!.push('not executable');
    const options = /^\s*set\s+-([a-z]+)/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
    if (!options.includes('e') || !options.includes('u')) problems.get(path)!.push('does not set -eu');
  }
  const result = spawnSync('shellcheck', ['--format=json1', ...paths], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw toolError('shellcheck', result.error);
  if (result.status !== 0 && result.status !== 1) throw new Error(`shellcheck failed (${result.status ?? result.signal}): ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { comments: Array<{ file: string; line: number; code: number; message: string }> };
  for (const comment of report.comments) problems.get(comment.file)?.push(`line ${comment.line}: SC${comment.code} ${comment.message}`);
  return problems;
}

/** What is wrong with a shell script: shellcheck's findings, a missing executable bit, no `set -eu`. */
export function checkShellScript(path: string): string[] {
  return checkShellScripts([path]).get(path)!;
}
