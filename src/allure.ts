// Allure metadata for one check, sent from inside the running check through the runtime that
// allure-vitest/setup installs (a no-op without it). Labels make the report read like the
// tutorial (epic = step, story = check id); each HTTP exchange becomes a step carrying the
// request, the response and a curl line. Everything here is already redacted by the client.
// Status and status details cannot be set from a test: reporters/allure-reporter.ts does that.
import { ContentType, LabelName, LinkType, Status, type Label } from 'allure-js-commons';
import type { RuntimeMessage } from 'allure-js-commons/sdk';
import { getGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';
import { CATEGORY_TITLES, triage } from '../reporters/triage.ts';
import type { CheckOutcome, CheckRecord, Severity } from './check-meta.ts';
import { redact, toCurl, type Exchange } from './exchange.ts';
import { findStep } from './steps.ts';

/** Label names of ours, read back by the category rules in reporters/allurerc.mjs. */
export const ALLURE_LABELS = { result: 'result', failureCategory: 'failure category' } as const;

/** must → critical, should → normal, info → minor. */
export const ALLURE_SEVERITY: Record<Severity, string> = { must: 'critical', should: 'normal', info: 'minor' };

interface MessageRuntime {
  sendMessage(message: RuntimeMessage): Promise<void>;
}

/** The runtime allure-vitest/setup installed, or undefined when Allure is not collecting. */
function runtime(): MessageRuntime | undefined {
  const current = getGlobalTestRuntime() as Partial<MessageRuntime>;
  return typeof current.sendMessage === 'function' ? (current as MessageRuntime) : undefined;
}

/** Reporting must never change a check's result: a failure here is logged, not thrown. */
async function safely(what: string, send: (allure: MessageRuntime) => Promise<void>): Promise<void> {
  const allure = runtime();
  if (!allure) return;
  try {
    await send(allure);
  } catch (error) {
    console.warn(`scim-conformance: could not record ${what} for Allure: ${(error as Error)?.message ?? String(error)}`);
  }
}

/** "01 Test Connection": numbered, so the report lists steps in tutorial order. */
export function epicOf(check: Pick<CheckRecord, 'step' | 'stepTitle'>): string {
  const number = findStep(check.step)?.number;
  return number ? `${number} ${check.stepTitle}` : check.stepTitle;
}

function description(check: CheckRecord): string {
  const gate = { must: 'a failure fails the run', should: 'a failure is a warning; the run stays green', info: 'reported, never fails the run' };
  return [`**Requirement.** ${check.requirement}`, '', `**Severity.** ${check.severity}: ${gate[check.severity]}.`].join('\n');
}

/** Labels, links and description; sent first, so that skipped checks are grouped too. */
export async function labelCheck(check: CheckRecord, profile: string): Promise<void> {
  await safely(`the labels of ${check.id}`, (allure) => sendLabels(allure, check, profile));
}

async function sendLabels(allure: MessageRuntime, check: CheckRecord, profile: string): Promise<void> {
  const labels: Label[] = [
    { name: LabelName.EPIC, value: epicOf(check) },
    { name: LabelName.STORY, value: check.id },
    { name: LabelName.SEVERITY, value: ALLURE_SEVERITY[check.severity] },
    { name: LabelName.TAG, value: profile },
    { name: LabelName.ALLURE_ID, value: check.id },
  ];
  await allure.sendMessage({
    type: 'metadata',
    data: {
      labels,
      links: check.link ? [{ url: check.link, name: check.link.replace(/^.*\/rfc(\d+)#section-/, 'RFC $1 §'), type: LinkType.DEFAULT }] : [],
      description: description(check),
      // Ids are stable forever while titles may be reworded: history follows the id, per profile.
      testCaseId: check.id,
      historyId: `${check.id}@${profile}`,
    },
  });
}

/** "POST /Users → 201": the path below the tenant base URL, as sent. */
export function exchangeTitle(exchange: Exchange, baseUrl: string): string {
  let shown = exchange.request.url;
  try {
    const url = new URL(exchange.request.url);
    const base = new URL(baseUrl);
    const basePath = base.pathname.replace(/\/$/, '');
    if (url.origin === base.origin && url.pathname.startsWith(basePath)) shown = url.pathname.slice(basePath.length) + url.search || '/';
  } catch {
    // Not a URL we can shorten: show it whole.
  }
  if (shown.length > 140) shown = `${shown.slice(0, 139)}…`;
  const answer = exchange.response ? String(exchange.response.status) : `no response (${exchange.error ?? 'unknown error'})`;
  const attempt = exchange.attempt > 1 ? ` (attempt ${exchange.attempt})` : '';
  return `${exchange.request.method} ${shown} → ${answer}${attempt}`;
}

function parsedBody(body: string | undefined): unknown {
  if (body === undefined || body === '') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function json(value: unknown): string {
  return redact(JSON.stringify(value, null, 2));
}

function attachment(name: string, content: string, contentType: string, fileExtension: string): RuntimeMessage {
  return {
    type: 'attachment_content',
    data: { name, content: Buffer.from(content, 'utf8').toString('base64'), encoding: 'base64', contentType, fileExtension, wrapInStep: false },
  };
}

/** One step per exchange, timed as it happened, with request, response and curl attached. */
function exchangeSteps(exchange: Exchange, baseUrl: string): RuntimeMessage[] {
  const start = Date.parse(exchange.startedAt) || Date.now();
  const { request, response } = exchange;
  const messages: RuntimeMessage[] = [{ type: 'step_start', data: { name: exchangeTitle(exchange, baseUrl), start } }];
  messages.push(attachment('request', json({ method: request.method, url: request.url, headers: request.headers, body: parsedBody(request.body) }), ContentType.JSON, 'json'));
  messages.push(
    response
      ? attachment(
          'response',
          json({ status: response.status, headers: response.headers, body: parsedBody(response.body), ...(response.truncatedAt !== undefined && { truncatedAt: response.truncatedAt }) }),
          ContentType.JSON,
          'json',
        )
      : attachment('no response', redact(exchange.error ?? 'unknown error'), ContentType.TEXT, 'txt'),
  );
  messages.push(attachment('curl', redact(toCurl(exchange)), ContentType.TEXT, 'sh'));
  // A step's status says whether an answer came, not whether it conformed: the check's
  // status and message say that, and one exchange is often fine on its own.
  messages.push({ type: 'step_stop', data: { stop: start + exchange.durationMs, status: exchange.response ? Status.PASSED : Status.BROKEN } });
  return messages;
}

/**
 * A warned check passes (the run stays green), and Allure shows no error box for a passed
 * test. So the warning goes where a reader looks: on top of the description (in full), as a
 * last step marked broken (the yellow icon) with the explanation attached, and as a tag that
 * the tree filter offers.
 */
function warningMessages(check: CheckRecord, message: string, at: number): RuntimeMessage[] {
  const gist = message.split('\n')[0] ?? message;
  const fence = '~~~~';
  return [
    {
      type: 'metadata',
      data: {
        // Visible in the tree too, where a passed test is otherwise just green.
        displayName: `${check.id} ${check.title} (⚠ warning)`,
        description: [`**⚠ Warning: this ${check.severity}-check was not met.** The run stays green; the endpoint should still be fixed.`, '', fence, message, fence, '', description(check)].join('\n'),
      },
    },
    { type: 'step_start', data: { name: `⚠ Warning (${check.severity}): ${gist}`, start: at } },
    attachment('explanation', message, ContentType.TEXT, 'txt'),
    { type: 'step_stop', data: { stop: at, status: Status.BROKEN } },
  ];
}

/** The exchanges as steps, and what the outcome decides (result, failure category, warning). */
export async function recordCheckResult(check: CheckRecord, outcome: CheckOutcome | undefined, exchanges: readonly Exchange[], baseUrl: string): Promise<void> {
  await safely(`the exchanges of ${check.id}`, (allure) => sendResult(allure, check, outcome, exchanges, baseUrl));
}

async function sendResult(allure: MessageRuntime, check: CheckRecord, outcome: CheckOutcome | undefined, exchanges: readonly Exchange[], baseUrl: string): Promise<void> {
  for (const exchange of exchanges) for (const message of exchangeSteps(exchange, baseUrl)) await allure.sendMessage(message);
  if (!outcome) return;
  const labels: Label[] = [{ name: ALLURE_LABELS.result, value: outcome.status }];
  const category = triage(outcome, exchanges);
  if (category) labels.push({ name: ALLURE_LABELS.failureCategory, value: CATEGORY_TITLES[category] });
  if (outcome.status === 'warned') {
    labels.push({ name: LabelName.TAG, value: 'warning' });
    const last = exchanges.at(-1);
    const at = last ? (Date.parse(last.startedAt) || Date.now()) + last.durationMs : Date.now();
    for (const message of warningMessages(check, redact(outcome.message ?? 'warning'), at)) await allure.sendMessage(message);
  }
  await allure.sendMessage({ type: 'metadata', data: { labels } });
}
