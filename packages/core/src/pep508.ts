import { validRange } from '@renovatebot/pep440';

const markerVariable = 'python_version|python_full_version|os_name|sys_platform|platform_release|platform_system|platform_version|platform_machine|platform_python_implementation|implementation_name|implementation_version|extra';
const markerOperator = '===|==|!=|~=|<=|>=|<|>|not +in|in';
const markerString = `'[^'"]*'|"[^'"]*"`;
const markerTerm = `(?:(?:${markerVariable}) *(?:${markerOperator}) *(?:${markerString})|(?:${markerString}) *(?:${markerOperator}) *(?:${markerVariable}))`;
/** PEP 508 environment markers without parentheses: terms joined by and/or. */
const markerPattern = new RegExp(`^${markerTerm}(?: +(?:and|or) +${markerTerm})*$`);
/**
 * Name, [extras], specifiers and marker, each part ending where the next begins (no two quantifiers
 * compete for the same characters, so the match takes linear time); the spaces around are trimmed after.
 */
const requirementParts = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?) *(?:\[([^\]]*)\])?([^;]*)(?:;(.*))?$/;
/** The longest requirement pyrepo takes (the requirement definition's maxLength). */
export const maxRequirementLength = 200;

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (text[start] === ' ') start++;
  while (end > start && text[end - 1] === ' ') end--;
  return text.slice(start, end);
}

/**
 * A PEP 508 requirement as pip reads it in a requirements file: a name, optional extras, version
 * specifiers that are valid PEP 440 (checked by @renovatebot/pep440, the way packaging does), an
 * optional marker. No URLs, paths or pip options: they belong to pip, not to a requirement.
 */
export function isRequirement(spec: string): boolean {
  if (spec.length > maxRequirementLength) return false;
  const parts = requirementParts.exec(spec);
  if (!parts) return false;
  const extras = parts[2] === undefined ? undefined : trimSpaces(parts[2]);
  const specifiers = trimSpaces(parts[3] ?? '');
  const marker = parts[4] === undefined ? undefined : trimSpaces(parts[4]);
  if (extras !== undefined && extras !== '' && !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?: *, *[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)*$/.test(extras)) return false;
  if (specifiers !== '' && (!/^(?:===|==|!=|~=|<=|>=|<|>)/.test(specifiers) || !validRange(specifiers.replace(/ +/g, '')))) return false;
  return marker === undefined || markerPattern.test(marker);
}
