import { format, styleText } from 'node:util';

type Stream = NodeJS.WritableStream & { isTTY?: boolean; getColorDepth?: (env?: NodeJS.ProcessEnv) => number };

/**
 * Whether text written to `stream` gets colours: Node's own rule (its console and util.inspect
 * use it). FORCE_COLOR decides when it is set (`0` or `false`: never; anything else: always, even
 * into a pipe); otherwise only a terminal gets colours, and not when NO_COLOR or
 * NODE_DISABLE_COLORS is set or TERM is `dumb` (the terminal's getColorDepth).
 */
export function colourEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  if (!stream.isTTY) return false;
  return typeof stream.getColorDepth === 'function' ? stream.getColorDepth(env) > 2 : true;
}

/**
 * Whether `stream` is a terminal a line can be redrawn on (a spinner): not a pipe or a file, not
 * TERM=dumb, not CI (whose logs keep every frame). ora's own test, so the two agree.
 */
export function isInteractiveStream(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.TERM !== 'dumb' && !('CI' in env);
}

export type Style = Parameters<typeof styleText>[0];

/** A painter for one stream: `paint('red', text)` is coloured only when the stream gets colours. */
export function painter(stream: Stream): (style: Style, text: string) => string {
  const enabled = colourEnabled(stream);
  // validateStream: false, the decision is made above (Node 20.17's styleText colours always).
  return (style, text) => (enabled ? styleText(style, text, { validateStream: false } as never) : text);
}

/** The status words Yeoman's logger prints before a file's path, with pyrepo's own ("merge", "update"). */
const statusStyles: Record<string, Style> = {
  skip: 'yellow',
  force: 'yellow',
  create: 'green',
  invoke: 'bold',
  conflict: 'red',
  identical: 'cyan',
  info: 'gray',
  merge: 'magenta',
  update: 'blue',
};
const diffStyles: Record<string, Style | Style[]> = { added: ['black', 'bgGreen'], removed: 'bgRed' };

/** Yeoman's line when a generator's step throws: the error itself reaches the user in pyrepo's words (or yo's). */
const yeomanTaskError = /^An error occured while running \S+#\S+$/;

type YeomanLog = { write(...args: unknown[]): YeomanLog } & Record<string, unknown>;

/**
 * Put pyrepo's output rules on Yeoman's logger (the one object every generator, the conflicter and
 * Yeoman's task runner write through, on the CLI and under yo): colours only where `stream` gets
 * them (Yeoman's chalk looks at stdout, log-symbols at TERM alone, so both coloured pipes), and
 * Yeoman's "An error occured while running <generator>#<step>" line dropped.
 */
export function applyOutputRules(log: YeomanLog, stream: Stream): void {
  const paint = painter(stream);
  const styled = (style: Style | Style[], text: string) => (Array.isArray(style) ? style.reduce((result, one) => paint(one, result), text) : paint(style, text));
  for (const [status, style] of Object.entries(statusStyles)) {
    log[status] = function (this: YeomanLog, ...args: unknown[]) {
      return this.write(`${styled(style, status.padStart('identical'.length))} ${format(...args)}\n`);
    };
  }
  log.ok = function (this: YeomanLog, ...args: unknown[]) {
    return this.write(`${paint('green', '✔')} ${format(...args)}\n`);
  };
  log.error = function (this: YeomanLog, ...args: unknown[]) {
    if (args.length === 1 && typeof args[0] === 'string' && yeomanTaskError.test(args[0])) return this;
    return this.write(`${paint('red', '✖')} ${format(...args)}\n`);
  };
  log.colored = function (this: YeomanLog, parts: Array<{ color?: string; message: string }>) {
    return this.write(parts.map(({ color, message }) => (color && (diffStyles[color] || statusStyles[color]) ? styled(diffStyles[color] ?? statusStyles[color]!, message) : message)).join(''));
  };
}
