import { contextKeys, type Plan, type PlanDraft } from '@pyrepo/core/host';

const show = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));

/** The plan, as --dry-run prints it. */
export function describePlan(plan: Plan): string {
  const lines = [
    plan.preset
      ? `Plan: preset ${plan.preset.name}${plan.preset.chain.length > 1 ? ` (extends ${plan.preset.chain.slice(0, -1).join(' -> ')})` : ''} into ${plan.targetDir}`
      : `Plan: ${plan.steps.map(step => step.entry.name).join(', ')} into ${plan.targetDir}`,
    `  project: ${contextKeys.map(key => `${key}=${show(plan.project[key])}`).join(' ')}`,
  ];
  plan.steps.forEach((step, index) => {
    const options = Object.entries(step.options).map(([key, value]) => `${key}=${show(value)}`);
    lines.push(`  ${index + 1}. ${step.entry.name}${options.length > 0 ? `  ${options.join(' ')}` : ''}`);
  });
  return lines.join('\n');
}

/** A draft still waiting for prompts, as --dry-run prints it before asking. */
export function describeDraft(draft: PlanDraft): string {
  return `Plan: ${draft.preset ? `preset ${draft.preset.name}` : draft.steps.map(step => step.entry.name).join(', ')} into ${draft.targetDir} (values are asked first)`;
}
