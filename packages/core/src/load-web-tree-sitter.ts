/**
 * web-tree-sitter, imported on first use. The CLI's bundle (scripts/bundle.mjs) replaces this module
 * with one that imports it from a file of its own beside the bundle: an ES module, where
 * web-tree-sitter's own import() calls work (the bundle runs as a script, where Node 20 has none).
 */
export const loadWebTreeSitter = (): Promise<typeof import('web-tree-sitter')> => import('web-tree-sitter');
