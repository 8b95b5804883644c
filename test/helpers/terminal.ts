import { spawn } from 'node:child_process';

const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * Run a command in a pseudo-terminal (util-linux `script`), typing each answer when the output
 * so far matches its pattern. Resolves when the command exits (killed after 60 s).
 */
export function runInTerminal(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }, answers: Array<[RegExp, string]>): Promise<{ code: number | null; output: string }> {
  const command = argv.map(word => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env: { ...process.env, ...options.env, TERM: 'dumb', COLUMNS: '120' } });
  let output = '';
  let pending = [...answers];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    while (pending.length > 0 && pending[0]![0].test(stripAnsi(output))) {
      child.stdin.write(pending[0]![1]);
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
