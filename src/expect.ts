// Assertion helpers for checks. Each failure says what was expected and what came back, in
// one line, and carries the exchange that shows it; check() adds the requirement and transcript.
import type { ScimResponse } from './client.ts';
import type { Exchange } from './exchange.ts';
import { record } from './recorder.ts';
import { validate, type SchemaName } from './schemas.ts';

export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** A prerequisite of the check is missing (e.g. the user it reads was never created): the check is blocked, not passed. */
export class PrerequisiteMissing extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PrerequisiteMissing';
  }
}

/** The check does not apply to this endpoint (e.g. it says it lacks an optional feature). */
export class NotApplicable extends Error {
  constructor(
    reason: string,
    /** Advice on the client's attribute mapping, when that is why: the checklist lists it. */
    readonly advice?: string,
  ) {
    super(reason);
    this.name = 'NotApplicable';
  }
}

export function fail(message: string, res?: ScimResponse): never {
  throw new CheckFailure(message, res?.exchange);
}

/** Fails the check with `message` unless `condition` holds. */
export function expectThat(condition: unknown, message: string, res?: ScimResponse): asserts condition {
  if (res) record(res.exchange);
  if (!condition) fail(message, res);
}

/** Stops the check as skipped, with the reason, when something it builds on is missing. */
export function requires<T>(value: T | undefined | null, reason: string): T {
  if (value === undefined || value === null) throw new PrerequisiteMissing(reason);
  return value;
}

/** Stops the check as not applicable, with the reason, unless `condition` holds. */
export function applicableOnlyIf(condition: unknown, reason: string, advice?: string): void {
  if (!condition) throw new NotApplicable(reason, advice);
}

function show(value: unknown, limit = 200): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}

function bodyHint(res: ScimResponse): string {
  const detail = (res.json as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string') return `; detail: "${detail.slice(0, 200)}"`;
  if (res.parseError) return `; ${res.parseError}`;
  return '';
}

export function expectStatus(res: ScimResponse, expected: number | readonly number[], what = ''): void {
  record(res.exchange);
  const allowed = typeof expected === 'number' ? [expected] : expected;
  if (!allowed.includes(res.status)) {
    const retried = res.retried.length ? ` after ${res.retried.length} retries` : '';
    fail(`expected ${what ? `${what}: ` : ''}status ${allowed.join(' or ')}, got ${res.status}${retried}${bodyHint(res)}`, res);
  }
}

/** The parsed JSON object of the answer; fails when the body is empty, HTML, or not an object. */
export function expectJsonObject(res: ScimResponse): Record<string, unknown> {
  record(res.exchange);
  if (res.parseError) fail(`expected a JSON body, but ${res.parseError}`, res);
  if (typeof res.json !== 'object' || res.json === null || Array.isArray(res.json)) {
    fail(`expected a JSON object, got ${show(res.json)}`, res);
  }
  return res.json as Record<string, unknown>;
}

/** Parses a media type: 'application/scim+json; charset=utf-8' -> 'application/scim+json'. */
export function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

export function expectMediaType(res: ScimResponse, expected: string): void {
  record(res.exchange);
  const actual = mediaType(res.headers['content-type']);
  if (actual !== expected) fail(`expected Content-Type ${expected}, got ${res.headers['content-type'] ?? 'no Content-Type header'}`, res);
}

/** The value matches the JSON Schema; errors matching `ignoring` (another check's concern) are left out. */
export function expectSchema(res: ScimResponse, schema: SchemaName, value: unknown = res.json, ignoring?: RegExp): void {
  record(res.exchange);
  const result = validate(schema, value);
  const errors = result.valid ? [] : result.errors.filter((e) => !ignoring?.test(e));
  if (errors.length > 0) fail(`the body does not match the ${schema} schema:\n  ${errors.join('\n  ')}`, res);
}

export function expectEqual(actual: unknown, expected: unknown, what: string, res?: ScimResponse): void {
  if (res) record(res.exchange);
  if (!deepEqual(actual, expected)) fail(`expected ${what} to be ${show(expected)}, got ${show(actual)}`, res);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export interface ListResponse {
  schemas: string[];
  totalResults: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources: Array<Record<string, unknown>>;
}

/** 200 with a schema-valid ListResponse (RFC 7644 §3.4.2). */
export function expectListResponse(res: ScimResponse): ListResponse {
  expectStatus(res, 200);
  const body = expectJsonObject(res);
  expectSchema(res, 'list-response');
  return { ...body, Resources: (body.Resources as ListResponse['Resources'] | undefined) ?? [] } as ListResponse;
}

/** 200, totalResults 0 and no resource: what Entra's Test Connection and every no-match lookup need. */
export function expectEmptyListResponse(res: ScimResponse): ListResponse {
  const list = expectListResponse(res);
  expectThat(list.totalResults === 0, `expected totalResults 0, got ${list.totalResults}`, res);
  expectThat(list.Resources.length === 0, `expected no Resources, got ${list.Resources.length}`, res);
  return list;
}

/**
 * An error answer: the status, the Error schema with status as a string (RFC 7644 §3.12), and the
 * scimType when given. RFC 7644 Table 9 lists scimType keywords for 400 answers only ("scimType: A
 * SCIM detail error keyword. See Table 9. OPTIONAL."), so other statuses may carry any or none.
 */
export function expectScimError(res: ScimResponse, status: number, scimType?: string): Record<string, unknown> {
  expectStatus(res, status);
  const body = expectJsonObject(res);
  // Table 9's scimType keywords are those of 400 answers; on other statuses any (or none) is accepted.
  const { scimType: _ignored, ...withoutScimType } = body;
  expectSchema(res, 'error', status === 400 ? body : withoutScimType);
  expectEqual(body.status, String(status), 'the error body "status"', res);
  if (scimType !== undefined) expectEqual(body.scimType, scimType, 'the error body "scimType"', res);
  return body;
}
