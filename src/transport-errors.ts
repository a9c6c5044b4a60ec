// Turns the errors Node and undici throw for a failed request into one line a vendor
// engineer can act on, instead of a stack trace.

interface ErrorWithCode {
  code?: string;
  name?: string;
  message?: string;
  cause?: unknown;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** Walks `cause` chains: undici wraps the socket error that names the real problem. */
function codes(error: unknown): ErrorWithCode[] {
  const chain: ErrorWithCode[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 5) {
    chain.push(current as ErrorWithCode);
    current = (current as ErrorWithCode).cause;
  }
  return chain;
}

export function describeTransportError(error: unknown, host: string, timeoutMs: number): string {
  const chain = codes(error);
  const has = (predicate: (e: ErrorWithCode) => boolean) => chain.find(predicate);
  if (has((e) => e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT')) {
    return `no answer within ${timeoutMs} ms (SCIM_TIMEOUT_MS)`;
  }
  const coded = has((e) => typeof e.code === 'string' && !e.code.startsWith('UND_ERR'));
  const code = coded?.code ?? has((e) => typeof e.code === 'string')?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${host}: is the server running, and are host and port in the Tenant URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup of ${host} failed (${code}): check the host name in the Tenant URL`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `the connection to ${host} was closed before the answer was complete (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} is unreachable from this machine (${code})`;
  }
  if (code && TLS_CODES.has(code)) {
    return `TLS handshake with ${host} failed (${code}: ${coded?.message ?? ''}); if the server uses a private CA, trust it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`;
  }
  const message = chain.map((e) => e.message).find((m) => m) ?? String(error);
  return `request failed${code ? ` (${code})` : ''}: ${message}`;
}
