import { mergeLines } from './lines.js';

// First version: line by line until the structured merge lands.
export const mergeReadmeSections = mergeLines;
