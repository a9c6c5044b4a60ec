// What the endpoint says it supports: GET /ServiceProviderConfig (RFC 7643 §5), read once per
// spec file, and the skip for checks of optional features it says it lacks. PATCH and filtering
// are not optional here: Entra needs both, so their checks are `must` and never skipped; the
// helper accepts only the features a provisioning client can do without.
import type { ScimResponse } from './client.ts';
import { applicableOnlyIf } from './expect.ts';
import { record } from './recorder.ts';
import { scim } from './suite.ts';

/** The features of RFC 7643 §5, by their attribute names in the ServiceProviderConfig. */
export type Feature = 'patch' | 'bulk' | 'filter' | 'changePassword' | 'sort' | 'etag';

/** Features whose checks may be skipped when the endpoint says it lacks them. */
export type OptionalFeature = 'sort' | 'etag' | 'bulk' | 'changePassword';

export interface Capabilities extends Record<Feature, boolean> {
  /** The GET /ServiceProviderConfig answer all of this was read from. */
  res: ScimResponse;
  /** Why the features could not be read (not 200, not a JSON object); undefined when they were. */
  unreadable?: string;
  /** filter.maxResults: the most resources one answer returns. */
  filterMaxResults?: number;
  bulkMaxOperations?: number;
  bulkMaxPayloadSize?: number;
  /** The `type` of each advertised authentication scheme, e.g. "oauthbearertoken". */
  authenticationSchemes: string[];
}

const FEATURES: readonly Feature[] = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'];

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function integerOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** Reads a ServiceProviderConfig answer; a feature counts as supported only when `supported` is the JSON boolean true. */
export function readCapabilities(res: ScimResponse): Capabilities {
  const body = res.status === 200 ? objectOrUndefined(res.json) : undefined;
  const unreadable =
    res.status !== 200
      ? `GET /ServiceProviderConfig answered ${res.status}`
      : body === undefined
        ? `GET /ServiceProviderConfig did not answer a JSON object${res.parseError ? ` (${res.parseError})` : ''}`
        : undefined;
  const feature = (name: Feature) => objectOrUndefined(body?.[name]);
  const supported = Object.fromEntries(FEATURES.map((name) => [name, feature(name)?.supported === true])) as Record<Feature, boolean>;
  const schemes = Array.isArray(body?.authenticationSchemes) ? body.authenticationSchemes : [];
  return {
    res,
    ...(unreadable !== undefined && { unreadable }),
    ...supported,
    filterMaxResults: integerOrUndefined(feature('filter')?.maxResults),
    bulkMaxOperations: integerOrUndefined(feature('bulk')?.maxOperations),
    bulkMaxPayloadSize: integerOrUndefined(feature('bulk')?.maxPayloadSize),
    authenticationSchemes: schemes.map((s: unknown) => objectOrUndefined(s)?.type).filter((t): t is string => typeof t === 'string'),
  };
}

// Module state is per spec file: vitest gives every test file its own module graph.
let memo: Promise<Capabilities> | undefined;

/** GET /ServiceProviderConfig, once per spec file, read into flags. A transport error rejects (the check fails as unreachable). */
export function capabilities(): Promise<Capabilities> {
  return (memo ??= scim.get('/ServiceProviderConfig').then(readCapabilities));
}

/**
 * Skips the running check, with the reason, unless the ServiceProviderConfig says `feature` is
 * supported; e.g. "the ServiceProviderConfig says sort is not supported". When the
 * configuration cannot be read at all, the check is skipped too, saying why (DISC-01 fails on it).
 * The exchange is attached to the check either way, so the skip shows its evidence.
 */
export async function requiresCapability(feature: OptionalFeature): Promise<Capabilities> {
  const caps = await capabilities();
  record(caps.res.exchange);
  applicableOnlyIf(caps.unreadable === undefined, `whether ${feature} is supported is unknown: ${caps.unreadable}`);
  applicableOnlyIf(caps[feature], `the ServiceProviderConfig says ${feature} is not supported`);
  return caps;
}
