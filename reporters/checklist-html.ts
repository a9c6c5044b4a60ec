// checklist.html: the certification checklist a vendor hands to an identity provider's
// reviewer. One self-contained file (inline CSS, no scripts, no external assets), every value
// escaped, and print CSS so that "Save as PDF" gives clean pages: rows never split, table
// headers repeat, colours kept.
import type { CheckResult, RunModel, StepResult } from './run-model.ts';
import { RESULT_WORD, firstLine } from './run-model.ts';
import { PROFILE_NAMES, formatDate, runModeLine, setupLine, resultDetail, totalsLine } from './checklist-text.ts';

export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const e = htmlEscape;

const CSS = `
:root { --ink:#1c2430; --muted:#5b6675; --line:#d9dee5; --band:#f4f6f9; --pass:#1f7a3d; --pass-bg:#e5f4ea; --fail:#b42318; --fail-bg:#fdecea; --warn:#8a5a00; --warn-bg:#fff4db; --skip:#4b5563; --skip-bg:#eef0f3; --accent:#1d4e89; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); font: 13px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 40px; }
header.doc { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 18px; display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; }
header.doc h1 { font-size: 22px; margin: 0 0 2px; letter-spacing: .2px; }
header.doc .sub { color: var(--muted); }
header.doc .brand { color: var(--accent); font-weight: 600; white-space: nowrap; }
.facts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px 24px; margin: 0 0 16px; }
.facts div { border-left: 3px solid var(--line); padding: 2px 0 2px 10px; }
.facts dt { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .6px; }
.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.verdict { border-radius: 6px; padding: 14px 18px; margin: 0 0 16px; border: 1px solid; break-inside: avoid; }
.verdict h2 { margin: 0; font-size: 18px; }
.verdict.ready { background: var(--pass-bg); border-color: #9fd3b0; color: var(--pass); }
.verdict.not-ready { background: var(--fail-bg); border-color: #f1b0aa; color: var(--fail); }
.verdict.incomplete { background: var(--warn-bg); border-color: #edd08f; color: var(--warn); }
.verdict ul { margin: 8px 0 0; padding-left: 20px; color: var(--ink); }
.verdict li { margin: 2px 0; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 0 0 22px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: var(--band); }
.tile b { display: block; font-size: 22px; line-height: 1.1; }
.tile span { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .6px; }
.tile.passed b { color: var(--pass); } .tile.failed b { color: var(--fail); } .tile.warned b { color: var(--warn); } .tile.skipped b { color: var(--skip); }
section.step { margin: 0 0 22px; }
section.step h2 { font-size: 16px; margin: 0 0 2px; break-after: avoid; }
section.step h2 .num { color: var(--accent); margin-right: 6px; }
section.step p.counts { margin: 0 0 8px; color: var(--muted); break-after: avoid; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
th { text-align: left; font-size: 11px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); background: var(--band); border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; overflow-wrap: anywhere; }
tr { break-inside: avoid; page-break-inside: avoid; }
col.id { width: 9%; } col.what { width: 31%; } col.req { width: 33%; } col.sev { width: 8%; } col.res { width: 19%; }
td.id { font-weight: 600; white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.req { color: var(--muted); font-size: 11.5px; line-height: 1.4; }
a.source { display: block; margin-top: 3px; color: var(--accent); text-decoration: none; font-weight: 600; white-space: nowrap; }
td.sev { text-transform: uppercase; font-size: 11px; letter-spacing: .4px; }
td.sev.must { font-weight: 700; }
.badge { display: inline-block; min-width: 42px; text-align: center; border-radius: 3px; padding: 1px 6px; font-weight: 700; font-size: 11px; letter-spacing: .5px; }
.badge.passed { background: var(--pass-bg); color: var(--pass); } .badge.failed { background: var(--fail-bg); color: var(--fail); }
.badge.warned { background: var(--warn-bg); color: var(--warn); } .badge.skipped { background: var(--skip-bg); color: var(--skip); }
.detail { display: block; margin-top: 3px; font-size: 12px; color: var(--ink); }
tr.failed td.id { color: var(--fail); }
.advice { border: 1px solid var(--line); border-left: 4px solid #8a6d00; border-radius: 6px; padding: 10px 16px; margin: 0 0 18px; }
.advice p { margin: 4px 0 6px; color: var(--muted); }
.errors { border: 1px solid #f1b0aa; background: var(--fail-bg); border-radius: 6px; padding: 10px 16px; margin: 0 0 18px; }
footer { margin-top: 26px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 11.5px; }
/* Landscape: five columns of prose read better wide, and the document gets shorter. */
@page { size: A4 landscape; margin: 12mm 12mm; }
@media print {
  body { font-size: 10px; }
  th { font-size: 9px; letter-spacing: .3px; padding: 5px 6px; }
  td { padding: 5px 6px; }
  td.req, .detail { font-size: 9.5px; }
  main { max-width: none; padding: 0; }
  .tiles { gap: 6px; }
  section.step { break-inside: auto; }
  a { color: inherit; text-decoration: none; }
}
`;

/** "https://www.rfc-editor.org/rfc/rfc7644#section-3.12" → "RFC 7644 §3.12" */
function linkText(link: string): string {
  const match = /rfc(\d+)#section-([\d.]+)/.exec(link);
  return match ? `RFC ${match[1]} §${match[2]}` : link;
}

function badge(check: CheckResult): string {
  return `<span class="badge ${check.status}">${RESULT_WORD[check.status]}</span>`;
}

function row(check: CheckResult): string {
  const detail = resultDetail(check);
  const source = check.link ? `<a class="source" href="${e(check.link)}">${e(linkText(check.link))} &#8599;</a>` : '';
  return [
    `<tr class="${check.status}">`,
    `<td class="id">${e(check.id)}</td>`,
    `<td>${e(check.title)}</td>`,
    `<td class="req">${e(check.requirement)}${source}</td>`,
    `<td class="sev ${check.severity}">${e(check.severity)}</td>`,
    `<td>${badge(check)}${detail ? `<span class="detail">${e(detail)}</span>` : ''}</td>`,
    '</tr>',
  ].join('');
}

function stepSection({ step, checks, totals }: StepResult): string {
  return `<section class="step">
<h2><span class="num">${e(step.number)}</span>${e(step.title)}</h2>
<p class="counts">${e(totalsLine(totals))}</p>
<table>
<colgroup><col class="id"><col class="what"><col class="req"><col class="sev"><col class="res"></colgroup>
<thead><tr><th>ID</th><th>What was checked</th><th>Requirement</th><th>Severity</th><th>Result</th></tr></thead>
<tbody>
${checks.map(row).join('\n')}
</tbody>
</table>
</section>`;
}

function verdictBlock(model: RunModel): string {
  const { verdict } = model;
  // Nothing failed, but the run could not certify (a partial or read-only run): a caution, not a failure.
  const unproven = verdict.failingMustChecks.length === 0 && model.errors.length === 0 && model.checks.length > 0;
  const kind = verdict.ready ? 'ready' : unproven ? 'incomplete' : 'not-ready';
  const mark = verdict.ready ? '&#10003;' : kind === 'incomplete' ? '&#9888;' : '&#10007;';
  const items = verdict.failingMustChecks.map(
    (c) => `<li><b>${e(c.id)}</b> ${e(c.title)}<br><span class="detail">${e(c.status === 'skipped' ? `could not run: ${firstLine(c.message)}` : firstLine(c.message))}</span></li>`,
  );
  return `<div class="verdict ${kind}"><h2>${mark} ${e(verdict.headline)}</h2>${items.length ? `<ul>${items.join('')}</ul>` : ''}</div>`;
}

/** What the admin should change in the client's attribute mapping: attributes the server does not define. */
function adviceBlock(model: RunModel): string {
  if (model.mappingAdvice.length === 0) return '';
  const items = model.mappingAdvice.map((a) => `<li>${e(a.advice)} <span class="detail">(not applicable: ${e(a.checks.join(', '))})</span></li>`);
  return `<div class="advice"><b>Mapping advice</b><p>The server's /Schemas do not define these attributes, which the client's default mapping sends. RFC 7644 §3.3 lets a server ignore them, so this is not a failure; the checks of their storage were not applicable.</p><ul>${items.join('')}</ul></div>`;
}

export function renderChecklistHtml(model: RunModel): string {
  const t = model.totals;
  const facts: [string, string][] = [
    ['Tenant', `${model.tenantHost}${model.embedded ? ' (built-in reference server)' : ''}`],
    ['Client profile', PROFILE_NAMES[model.profile]],
    ['Mode', runModeLine(model)],
    ['Authentication and mapping', setupLine(model)],
    ['Date', formatDate(model.finishedAt)],
    ['Suite version', `scim-conformance ${model.suite.version}`],
    ['Run id', model.runId],
    ['Checks', totalsLine(t)],
  ];
  const tiles = (['passed', 'failed', 'warned', 'skipped'] as const).map(
    (s) => `<div class="tile ${s}"><b>${t[s]}</b><span>${{ passed: 'Passed', failed: 'Failed', warned: 'Warnings', skipped: 'Skipped' }[s]}</span></div>`,
  );
  const errors = model.errors.length
    ? `<div class="errors"><b>The suite could not run cleanly:</b><ul>${model.errors.map((x) => `<li>${x.file ? `${e(x.file)}: ` : ''}${e(firstLine(x.message))}</li>`).join('')}</ul></div>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SCIM provisioning checklist: ${e(model.tenantHost)} (${e(formatDate(model.finishedAt))})</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="doc"><div><h1>SCIM 2.0 provisioning checklist</h1><div class="sub">${e(PROFILE_NAMES[model.profile])} &middot; ${e(model.tenantHost)}</div></div><div class="brand">scim-conformance ${e(model.suite.version)}</div></header>
<dl class="facts">${facts.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`).join('')}</dl>
${verdictBlock(model)}
${errors}
${adviceBlock(model)}
<div class="tiles">${tiles.join('')}</div>
${model.steps.map(stepSection).join('\n')}
<footer>
<p><b>Severity.</b> A failed <b>must</b> check fails the run. A failed <b>should</b> check is a warning (WARN): reported, the run stays green. <b>info</b> checks are reported only. SKIP gives the reason; a must-check that could not run because something it builds on failed (blocked) counts as failing.</p>
<p>Generated by scim-conformance ${e(model.suite.version)}, run ${e(model.runId)}, ${e(model.startedAt)} to ${e(model.finishedAt)}. Every exchange of the run is in exchanges.har (secrets appear as the variables they come from, such as $SCIM_TOKEN); the full explanation of each FAIL and WARN, with a curl line to reproduce it, is in junit.xml, summary.json and the Allure report.</p>
</footer>
</main>
</body>
</html>
`;
}
