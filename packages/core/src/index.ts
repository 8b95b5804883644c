export * from './host.js';
export * from './generator.js';
export * from './ignore.js';
export * from './plan-generator.js';
export * from './readme.js';
export * from './run.js';
export * from './shared-files.js';
export * from './toml.js';
