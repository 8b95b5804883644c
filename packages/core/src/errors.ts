import { compareCodeUnits } from './text.js';

/** One thing wrong with the user's input, and how to fix it. */
export interface Problem {
  message: string;
  fix: string;
  /** The option or fact the problem is about, when there is one. */
  key?: string;
}

/**
 * An error pyrepo expects and explains. `exitCode` is what the CLI exits with; `code` mirrors it
 * because `yo` exits with `error.code`.
 */
export class PyrepoError extends Error {
  readonly exitCode: number;
  readonly code: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'PyrepoError';
    this.exitCode = exitCode;
    this.code = exitCode;
  }
}

/** Bad usage or invalid input: exit code 2, reported before anything is written. */
export class UsageError extends PyrepoError {
  readonly problems: Problem[];
  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(formatProblems(list), 2);
    this.name = 'UsageError';
    this.problems = list;
  }
}

export function formatProblems(problems: Problem[]): string {
  return problems.map(p => `${p.message}\n  fix: ${p.fix}`).join('\n');
}

/** The closest candidates to `input`, for "did you mean" hints. */
export function closestNames(input: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    const limit = Math.max(2, Math.floor(candidate.length / 3));
    if (distance <= limit || candidate.includes(input) || input.includes(candidate)) scored.push([candidate, distance]);
  }
  return scored.sort((a, b) => a[1] - b[1] || compareCodeUnits(a[0], b[0])).slice(0, max).map(([name]) => name);
}

export function didYouMean(input: string, candidates: Iterable<string>, format = (s: string) => s): string {
  const close = closestNames(input, candidates);
  return close.length > 0 ? ` Did you mean ${close.map(format).join(' or ')}?` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
