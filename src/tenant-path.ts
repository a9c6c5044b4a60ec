// URLs an endpoint hands back (a Location header, meta.location, a ResourceType endpoint) turned
// into what the client takes: a path relative to the Tenant URL. The client joins every path to
// the Tenant URL's path prefix and query flags, so an absolute URL must be cut at that prefix.
import { joinUrl } from './client.ts';
import { target } from './suite.ts';

/** `reference` resolved against the URL of the request it answered (a relative Location is allowed, RFC 9110 §10.2.2). */
export function resolveAgainst(reference: string, requestPath: string): string | undefined {
  try {
    return new URL(reference, joinUrl(target.baseUrl, requestPath).href).href;
  } catch {
    return undefined;
  }
}

/**
 * The path of `absoluteUrl` relative to the Tenant URL ('/Users/2819c223'), or undefined when it
 * lies elsewhere (another scheme, host or port, or outside the Tenant URL's path prefix). A query
 * equal to the Tenant URL's own flags is dropped, since the client adds those to every request.
 */
export function pathUnderTenant(absoluteUrl: string, tenantUrl: string = target.baseUrl): string | undefined {
  let url: URL;
  let base: URL;
  try {
    url = new URL(absoluteUrl);
    base = new URL(tenantUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin) return undefined;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(`${prefix}/`)) return undefined;
  const query = url.search === '' || url.search === base.search ? '' : url.search;
  return `${url.pathname.slice(prefix.length)}${query}`;
}

/**
 * A ResourceType `endpoint` (RFC 7643 §6: "relative to the Base URL of the service provider,
 * e.g., "Users"") as a client path: "Users" and "/Users" give '/Users'; an absolute URL under the
 * Tenant URL is cut to its relative path; anything else gives undefined.
 */
export function endpointPath(endpoint: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(endpoint)) return pathUnderTenant(endpoint);
  const trimmed = endpoint.trim();
  return trimmed === '' ? undefined : `/${trimmed.replace(/^\/+/, '')}`;
}
