import { spawn } from 'node:child_process';
import { cliEnv } from './cli.js';

const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * Run a command in a pseudo-terminal (util-linux `script`), typing each answer when the output
 * since the previous answer matches its pattern (a question shown before it is not the question
 * asked after it). Resolves when the command exits (killed after 60 s).
 */
export function runInTerminal(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }, answers: Array<[RegExp, string]>): Promise<{ code: number | null; output: string }> {
  const command = argv.map(word => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env: { ...cliEnv(options.env), TERM: 'dumb', COLUMNS: '120' } });
  let output = '';
  let answeredAt = 0;
  let pending = [...answers];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    while (pending.length > 0 && pending[0]![0].test(stripAnsi(output.slice(answeredAt)))) {
      child.stdin.write(pending[0]![1]);
      answeredAt = output.length;
      pending = pending.slice(1);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, output: stripAnsi(output) });
    });
  });
}
