import { spawn, type ChildProcess } from 'node:child_process';
import type { Ora } from 'ora';
import { shellCommandIn } from './shell-command.js';
import { colourEnabled, isInteractiveStream, painter } from './terminal.js';

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

/** Where install steps report and how much: set by runDraft (the CLI); yo's runs keep the defaults. */
const progressOutput: { stream: Stream; verbose: boolean } = { stream: process.stderr, verbose: false };

/** Report install steps on `stream` (default: stderr); `verbose` shows each command's output as it comes. */
export function setProgressOutput(settings: { stream?: Stream; verbose?: boolean }): void {
  progressOutput.stream = settings.stream ?? process.stderr;
  progressOutput.verbose = settings.verbose ?? false;
}

/** One command of an install step (creating a venv, pip install, git init). */
export interface StepCommand {
  /** Who runs it: a generator's name. */
  name: string;
  /** What it does, as a verb phrase: `install requirements/dev.txt`. */
  what: string;
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

/** The command a person pastes to do a step themselves, in its folder, quoted for the shell. */
export function laterCommand(step: Pick<StepCommand, 'command' | 'args' | 'cwd'>): string {
  return shellCommandIn(step.cwd, [step.command, ...step.args]);
}

/** The step under way (at most one: Yeoman runs one task at a time), for a signal's summary. */
let active: { step: StepCommand; child: ChildProcess; stopDisplay: () => void } | undefined;

/**
 * What an interruption leaves undone: the step under way, with the command that finishes it; its
 * process group is sent `signal` and its display stopped. Nothing when no step runs.
 */
export function interruptActiveStep(signal: NodeJS.Signals): string | undefined {
  if (!active) return undefined;
  const { step, child, stopDisplay } = active;
  active = undefined;
  stopDisplay();
  killGroup(child, signal);
  return `${step.name}: ${step.what} was under way (run it yourself later: ${laterCommand(step)})`;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** 3.2s, 12s, 1m 05s. */
export function formatElapsed(milliseconds: number, precise = true): string {
  const seconds = milliseconds / 1000;
  if (seconds < 10 && precise) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  return `${Math.floor(seconds / 60)}m ${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
}

const clock = () => new Date().toTimeString().slice(0, 8);

/** Lines of a command's output kept to show when it fails (the end of it says why). */
const shownOnFailure = 40;

/**
 * Run one command of an install step with a progress display: on a terminal the step's name, a
 * spinner and the elapsed time (ora), elsewhere a timestamped line when it starts and one when it
 * ends. Its output is captured: shown when it fails (its last lines), or as it comes with
 * --verbose. The command runs in a process group of its own, so a Ctrl-C on the terminal reaches
 * pyrepo alone: pyrepo passes the signal on and reports, and no half-printed traceback of the
 * child's shows. A failure does not throw: it is reported with the command to run later.
 */
export async function runStepWithProgress(step: StepCommand): Promise<boolean> {
  const { stream, verbose } = progressOutput;
  const paint = painter(stream);
  const title = `${step.name}: ${step.what}`;
  const started = Date.now();
  const interactive = isInteractiveStream(stream);
  let spinner: Ora | undefined;
  let ticker: NodeJS.Timeout | undefined;
  if (interactive) {
    // ora loads on first use (the bundle keeps it out of start-up: scripts/bundle-shims/ora.js).
    const { default: ora } = await import('ora');
    const shown = ora({ stream: stream as NodeJS.WriteStream, color: colourEnabled(stream) ? 'cyan' : false });
    shown.start(title);
    ticker = setInterval(() => (shown.suffixText = paint('dim', formatElapsed(Date.now() - started, false))), 1000);
    spinner = shown;
  } else {
    stream.write(`${clock()} ${title} ...\n`);
  }
  const stopDisplay = () => {
    clearInterval(ticker);
    spinner?.stop();
    spinner = undefined;
  };
  const lines: string[] = [];
  let total = 0;
  const pending = { stdout: '', stderr: '' };
  const take = (from: 'stdout' | 'stderr', text: string, end = false) => {
    const parts = (pending[from] + text).split(/\r?\n/);
    pending[from] = end ? '' : parts.pop()!;
    for (const line of parts) {
      if (end && line === '') continue;
      total++;
      lines.push(line);
      if (lines.length > shownOnFailure) lines.shift();
      if (verbose) stream.write(`    ${line}\n`);
    }
  };

  const child = spawn(step.command, step.args, {
    cwd: step.cwd,
    env: { ...process.env, ...step.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  active = { step, child, stopDisplay };
  // A run of pyrepo's CLI handles signals itself (runDraft's holdRun stops the step and reports).
  // Where nobody does (yo), the step is stopped and the signal raised again, to end the process
  // as it would have; an end by process.exit takes the child with it either way.
  const signals = (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const).filter(signal => process.listenerCount(signal) === 0);
  const onSignal = (signal: NodeJS.Signals) => {
    interruptActiveStep(signal);
    detach();
    process.kill(process.pid, signal);
  };
  const onExit = () => killGroup(child, 'SIGTERM');
  const detach = () => {
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', onExit);
  };
  for (const signal of signals) process.on(signal, onSignal);
  process.on('exit', onExit);
  child.stdout!.setEncoding('utf8').on('data', (text: string) => take('stdout', text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => take('stderr', text));
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(resolve => {
    child.on('error', error => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  detach();
  if (active?.child !== child) return false; // interrupted: the signal's summary says what was under way
  active = undefined;
  stopDisplay();
  take('stdout', '', true);
  take('stderr', '', true);
  const elapsed = formatElapsed(Date.now() - started);
  const stamp = interactive ? '' : `${clock()} `;
  if (outcome.code === 0) {
    stream.write(`${stamp}${paint('green', '✔')} ${title} ${paint('dim', `(${elapsed})`)}\n`);
    return true;
  }
  const why = outcome.error ? outcome.error.message : outcome.signal ? `ended by ${outcome.signal}` : `exit code ${outcome.code}`;
  const output =
    verbose || lines.length === 0
      ? ''
      : `${total > lines.length ? `    ... (${total - lines.length} earlier lines; --verbose shows them all)\n` : ''}${lines.map(line => `    ${line}\n`).join('')}`;
  stream.write(`${stamp}${paint('red', '✖')} ${step.name}: could not ${step.what} (${why}, after ${elapsed}):\n${output}  Run it yourself later: ${laterCommand(step)}\n`);
  return false;
}
