import { contextKeys, type Plan, type PlanDraft, type ProjectModel } from '@pyrepo/core/host';

const show = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));

/** The plan, as --dry-run prints it. */
export function describePlan(plan: Plan): string {
  const lines = [
    plan.preset
      ? `Plan: preset ${plan.preset.name}${plan.preset.chain.length > 1 ? ` (extends ${plan.preset.chain.slice(0, -1).join(' -> ')})` : ''} into ${plan.targetDir}`
      : `Plan: ${plan.steps.map(step => step.entry.name).join(', ')} into ${plan.targetDir}`,
    `  project: ${contextKeys.filter(key => plan.project[key] !== undefined).map(key => `${key}=${show(plan.project[key])}`).join(' ')}`,
    ...factLines(plan),
  ];
  plan.steps.forEach((step, index) => {
    const options = Object.entries(step.options).map(([key, value]) => `${key}=${show(value)}`);
    lines.push(`  ${index + 1}. ${step.entry.name}${options.length > 0 ? `  ${options.join(' ')}` : ''}`);
  });
  return lines.join('\n');
}

/** The facts read from the repository or established by this run, each with where it came from. */
export function factLines(plan: Plan): string[] {
  const lines: string[] = [];
  for (const key of contextKeys) {
    const source = plan.projectSources[key];
    if (plan.project[key] === undefined || (source !== 'detected' && source !== 'created')) continue;
    lines.push(`    ${key}=${show(plan.project[key])}  (${source === 'detected' ? `read from ${plan.detectedFrom[key] ?? 'the repository'}` : 'written by this run'})`);
  }
  return lines.length > 0 ? ['  facts used:', ...lines] : [];
}

/** A draft still waiting for prompts, as --dry-run prints it before asking. */
export function describeDraft(draft: PlanDraft): string {
  return `Plan: ${draft.preset ? `preset ${draft.preset.name}` : draft.steps.map(step => step.entry.name).join(', ')} into ${draft.targetDir} (values are asked first)`;
}

/** The project model, as `pyrepo inspect` prints it. */
export function describeModel(model: ProjectModel): string {
  const facts = Object.entries(model.facts);
  const missing = Object.entries(model.lookedAt);
  const width = Math.max(4, ...[...facts, ...missing, ...Object.entries(model.files)].map(([key]) => key.length));
  const lines = [`Project model of ${model.dir} (read from its files; none of its code was run):`];
  if (facts.length === 0) lines.push('  (nothing pyrepo knows how to read)');
  for (const [key, fact] of facts) lines.push(`  ${key.padEnd(width)}  ${show(fact!.value)}\n  ${' '.repeat(width)}    from ${fact!.from}`);
  const files = Object.entries(model.files);
  if (files.length > 0) {
    lines.push('Files and tools:');
    for (const [key, fact] of files) lines.push(`  ${key.padEnd(width)}  ${show(fact.value)}\n  ${' '.repeat(width)}    from ${fact.from}`);
  }
  if (missing.length > 0) {
    lines.push('Not established (a run that needs one asks for it, or takes its flag):');
    for (const [key, lookedAt] of missing) lines.push(`  ${key.padEnd(width)}  looked at ${lookedAt}`);
  }
  return `${lines.join('\n')}\n`;
}
