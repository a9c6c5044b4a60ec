// checklist.md: the certification checklist as Markdown, for a pull request, a ticket or an
// email to the identity provider's reviewer. Same content as checklist.html.
import type { CheckResult, RunModel } from './run-model.ts';
import { RESULT_WORD, firstLine } from './run-model.ts';
import { PROFILE_NAMES, formatDate, runModeLine, setupLine, resultDetail, totalsLine } from './checklist-text.ts';

/** Escapes text for a Markdown table cell: no HTML, no emphasis, no pipes, one line. */
export function mdCell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_[\]<>|#~])/g, '\\$1')
    .trim();
}

function resultCell(check: CheckResult): string {
  const word = RESULT_WORD[check.status];
  const detail = resultDetail(check);
  const shown = check.status === 'failed' ? `**${word}**` : word;
  return detail ? `${shown}: ${mdCell(detail)}` : shown;
}

export function renderChecklistMarkdown(model: RunModel): string {
  const { verdict } = model;
  const lines: string[] = [
    `# SCIM provisioning checklist: ${mdCell(model.tenantHost)}`,
    '',
    '| | |',
    '|---|---|',
    `| Tenant | ${mdCell(model.tenantHost)}${model.embedded ? ' (built-in reference server)' : ''} |`,
    `| Client profile | ${mdCell(PROFILE_NAMES[model.profile])} |`,
    `| Mode | ${runModeLine(model)} |`,
    `| Authentication and mapping | ${mdCell(setupLine(model))} |`,
    `| Date | ${formatDate(model.finishedAt)} |`,
    `| Suite | scim-conformance ${mdCell(model.suite.version)} |`,
    `| Run id | ${mdCell(model.runId)} |`,
    `| Results | ${totalsLine(model.totals)} |`,
    '',
    `**Verdict: ${mdCell(verdict.headline)}**`,
    '',
  ];
  if (verdict.failingMustChecks.length > 0) {
    for (const check of verdict.failingMustChecks) {
      lines.push(`- ${mdCell(check.id)} ${mdCell(check.title)}: ${mdCell(check.status === 'skipped' ? `could not run: ${firstLine(check.message)}` : firstLine(check.message))}`);
    }
    lines.push('');
  }
  if (model.mappingAdvice.length > 0) {
    lines.push(
      '**Mapping advice.** The server\'s /Schemas do not define these attributes, which the client\'s default mapping sends. RFC 7644 §3.3 lets a server ignore them, so this is not a failure; the checks of their storage were not applicable.',
      '',
    );
    for (const a of model.mappingAdvice) lines.push(`- ${mdCell(a.advice)} (not applicable: ${mdCell(a.checks.join(', '))})`);
    lines.push('');
  }
  for (const error of model.errors) lines.push(`- Suite error${error.file ? ` in ${mdCell(error.file)}` : ''}: ${mdCell(firstLine(error.message))}`);
  if (model.errors.length > 0) lines.push('');
  for (const { step, checks, totals } of model.steps) {
    lines.push(`## ${step.number} ${mdCell(step.title)}`, '', totalsLine(totals), '');
    lines.push('| ID | What was checked | Requirement | Severity | Result |', '|---|---|---|---|---|');
    for (const check of checks) {
      lines.push(`| ${mdCell(check.id)} | ${mdCell(check.title)} | ${mdCell(check.requirement)} | ${check.severity} | ${resultCell(check)} |`);
    }
    lines.push('');
  }
  lines.push(
    'Severity: a failed **must** check fails the run; a failed **should** check is a warning (WARN) and the run stays green; **info** is reported only. ' +
      'Every exchange of the run is in exchanges.har; the full explanation of each FAIL and WARN is in junit.xml, summary.json and the Allure report.',
    '',
  );
  return lines.join('\n');
}
