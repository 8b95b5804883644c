/**
 * Order strings by UTF-16 code unit, as JSON keys and file lists are compared on every machine alike.
 * Not localeCompare: its order depends on the locale, and its first call loads ICU's collator (~20 ms).
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
