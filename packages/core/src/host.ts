// The plugin host without Yeoman: what the CLI needs to resolve, validate and describe a plan.
// Kept free of yeoman-generator/yeoman-environment so `pyrepo list`, `info` and bad-input errors start fast.
export * from './compat.js';
export * from './context.js';
export * from './project-model.js';
export * from './errors.js';
export * from './json.js';
export * from './plan.js';
export * from './presets.js';
export * from './registry.js';
export * from './pep508.js';
export * from './requirements.js';
export * from './requirements-detect.js';
export * from './schema.js';
export * from './schema-docs.js';
export * from './shared-core.js';
export * from './stored-config.js';
export * from './trust.js';
export * from './versions.js';
export * from './frameworks.js';
export * from './containers.js';
export * from './servers.js';
export * from './python-source.js';
export * from './records.js';
export * from './recorded-plan.js';
export * from './shell-command.js';
export * from './git-work-tree.js';
