// The load step's results as Markdown tables (the reporters show them; they read as plain text
// too) and as one plain object for task.meta, so that reports can render it their own way.
import type { LoadReport } from './driver.ts';
import { formatMs, markdownTable, type Cell } from './table.ts';

/** What was asked of the endpoint, beside what the driver measured. */
export interface Scenario {
  users: number;
  groups: number;
  /** Members per PATCH. */
  membersPerPatch: number;
}

/** Written to task.meta.load of each LOAD check: a title, its table in Markdown, and the data behind it. */
export interface LoadMeta {
  title: string;
  table: string;
  scenario: Scenario;
  report: LoadReport;
}

declare module '@vitest/runner' {
  interface TaskMeta {
    load?: LoadMeta;
  }
}

const rate = (perSecond: number) => `${perSecond.toFixed(1)}/s`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function summaryTable(report: LoadReport, scenario: Scenario): string {
  const { overall } = report;
  const rows: Cell[][] = [
    ['users, groups', `${scenario.users}, ${scenario.groups} (members added ${scenario.membersPerPatch} per PATCH)`],
    ['paced at', `${rate(report.ratePerSecond)}, at most ${report.concurrency} in flight`],
    ['requests sent (retries included)', report.attempts],
    ['answered (not 429)', report.answered],
    ['achieved rate', `${rate(report.achievedRate)} over ${seconds(report.windowMs)}`],
    ['latency p50 / p95 / p99 / max', `${formatMs(overall.p50)} / ${formatMs(overall.p95)} / ${formatMs(overall.p99)} / ${formatMs(overall.max)} ms`],
    ['429 answers', report.throttled],
    ['held for Retry-After', seconds(report.pausedMs)],
    ['no answer (of which timeouts)', `${report.noAnswer} (${report.timeouts})`],
    ['unexpected answers', report.unexpected.reduce((n, u) => n + u.count, 0)],
    ['not sent (time budget)', report.notSent],
  ];
  if (report.stopped) rows.push(['stopped early', report.stopped]);
  return markdownTable(['initial sync', 'result'], rows);
}

export function latencyTable(report: LoadReport): string {
  const row = (kind: string, s: LoadReport['overall']): Cell[] => [kind, s.count, formatMs(s.p50), formatMs(s.p95), formatMs(s.p99), formatMs(s.max)];
  return markdownTable(
    ['request', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    [...report.latency.map((l) => row(l.kind, l)), row('all', report.overall)],
  );
}

/** Every answer by request kind (rows) and status (columns). */
export function answersTable(report: LoadReport): string {
  const kinds = [...new Set(report.answers.map((a) => a.kind))];
  const statuses = [...new Set(report.answers.map((a) => a.status))].sort((a, b) => (a === 'no answer' ? 1 : b === 'no answer' ? -1 : Number(a) - Number(b)));
  const count = (kind: string, status: string) => report.answers.find((a) => a.kind === kind && a.status === status)?.count ?? 0;
  return markdownTable(['request', ...statuses], kinds.map((kind) => [kind, ...statuses.map((s) => count(kind, s))]));
}

/** Unexpected answers and wrong content, one row each with its count. */
export function problemsTable(report: LoadReport): string {
  const rows: Cell[][] = [
    ...report.unexpected.map((u) => [u.kind, u.what, u.count]),
    ...report.problems.map((p) => [p.kind, p.message, p.count]),
  ];
  return rows.length === 0 ? 'every request was answered as the client needs' : markdownTable(['request', 'what came back', 'count'], rows);
}

const SHOWN_THROTTLES = 10;

export function throttlingTable(report: LoadReport): string {
  const events = report.throttling;
  if (events.length === 0) return 'no 429 (nor 503 with Retry-After) was answered';
  const rows: Cell[][] = events.slice(0, SHOWN_THROTTLES).map((e) => [
    e.kind,
    e.status,
    e.retryAfter ?? '(none)',
    e.waitMs === undefined ? '-' : Math.round(e.waitMs),
    e.gapMs ?? '-',
    e.gaveUp ? 'gave up' : e.gapMs === undefined ? '-' : e.gapMs + 5 >= (e.waitMs ?? 0) ? 'yes' : 'NO',
  ]);
  const more = events.length > SHOWN_THROTTLES ? `\n\n(${events.length - SHOWN_THROTTLES} more not shown)` : '';
  return `${markdownTable(['request', 'status', 'Retry-After', 'waited ms', 'gap before retry ms', 'honoured'], rows)}${more}`;
}

/** All tables, with headings: the whole result in one text. */
export function fullReport(report: LoadReport, scenario: Scenario): string {
  return [
    summaryTable(report, scenario),
    '',
    'Latency by request:',
    latencyTable(report),
    '',
    'Answers by status:',
    answersTable(report),
    '',
    'Unexpected answers:',
    problemsTable(report),
    '',
    'Throttling:',
    throttlingTable(report),
  ].join('\n');
}
