import { readFileSync, statSync } from 'node:fs';
import { runTool } from './checks.js';

/** What is wrong with a shell script: shellcheck's findings, a missing executable bit, no `set -eu`. */
export function checkShellScript(path: string): string[] {
  const problems: string[] = [];
  if ((statSync(path).mode & 0o111) === 0) problems.push(`${path} is not executable`);
  const options = /^\s*set\s+-([a-z]+)/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
  if (!options.includes('e') || !options.includes('u')) problems.push(`${path} does not set -eu`);
  try {
    runTool('shellcheck', [path]);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}
