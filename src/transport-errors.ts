// Turns the errors Node and undici throw for a failed request into one line a vendor
// engineer can act on, instead of a stack trace. The caller prefixes method and URL and
// redacts the result.

interface ErrorWithCode {
  code?: string;
  name?: string;
  message?: string;
  reason?: string;
  /** undici's HTTPParserError: the bytes that were not HTTP. */
  data?: unknown;
  cause?: unknown;
}

/** How far the request got before it failed: no answer yet, or the status line came and the body broke off. */
export type TransportPhase = { stage: 'answer' } | { stage: 'body'; status: number; bytes: number };

const UNTRUSTED_ISSUER = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
const SELF_SIGNED = 'DEPTH_ZERO_SELF_SIGNED_CERT';
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TRUST_HINT = 'NODE_EXTRA_CA_CERTS=/path/to/ca.pem';

/** Walks `cause` chains: undici wraps the socket error that names the real problem. */
function chainOf(error: unknown): ErrorWithCode[] {
  const chain: ErrorWithCode[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 6) {
    chain.push(current as ErrorWithCode);
    current = (current as ErrorWithCode).cause;
  }
  return chain;
}

/** The most specific code in the chain: a socket or TLS code beats undici's wrapper codes. */
function codeOf(chain: readonly ErrorWithCode[]): { code?: string; error?: ErrorWithCode } {
  const own = chain.find((e) => typeof e.code === 'string' && !e.code.startsWith('UND_ERR'));
  const any = own ?? chain.find((e) => typeof e.code === 'string');
  return { code: any?.code, error: any };
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function hostnameOf(host: string): string {
  return host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
}

function tlsReason(code: string, error: ErrorWithCode | undefined, host: string): string | undefined {
  if (code === SELF_SIGNED) {
    return `TLS: the certificate of ${host} is self-signed, so it is not trusted (${code}); if the server is yours, trust its certificate by starting the suite with NODE_EXTRA_CA_CERTS=/path/to/cert.pem`;
  }
  if (UNTRUSTED_ISSUER.has(code)) {
    return `TLS: the certificate of ${host} is issued by a CA this machine does not trust (${code}); if it is a private CA, trust it with ${TRUST_HINT}`;
  }
  if (EXPIRED.has(code)) return `TLS: the certificate of ${host} is not valid now (${code}); the server must renew it`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS: the certificate of ${host} is not issued for ${hostnameOf(host)} (${code}: ${oneLine(error?.reason ?? error?.message)}); use a host name the certificate names in the Tenant URL`;
  }
  const message = oneLine(error?.message);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(message)) {
    return `TLS handshake with ${host} failed: the server does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER); check the port, or use http:// if it serves plain HTTP`;
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_') || code.endsWith('_CERT')) {
    return `TLS handshake with ${host} failed (${code}: ${message}); if the server uses a private CA, trust it with ${TRUST_HINT}`;
  }
  return undefined;
}

export function describeTransportError(error: unknown, host: string, timeoutMs: number, phase: TransportPhase = { stage: 'answer' }): string {
  const chain = chainOf(error);
  const timedOut = chain.some((e) => e.name === 'TimeoutError' || (e.code !== undefined && TIMEOUTS.has(e.code)));
  const { code, error: coded } = codeOf(chain);
  if (phase.stage === 'body') {
    const came = `answered ${phase.status}, then`;
    if (timedOut) return `${came} the body did not finish within ${timeoutMs} ms (SCIM_TIMEOUT_MS); ${phase.bytes} bytes of it came`;
    if (code && CLOSED.has(code)) return `${came} the connection was closed after ${phase.bytes} bytes of the body (${code}): the answer is incomplete`;
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return `${came} the body did not match its Content-Length after ${phase.bytes} bytes (${code}): the answer is incomplete`;
    return `${came} reading the body failed after ${phase.bytes} bytes${code ? ` (${code})` : ''}: ${oneLine(coded?.message ?? chain[0]?.message ?? String(error))}`;
  }
  if (timedOut) return `no answer within ${timeoutMs} ms (SCIM_TIMEOUT_MS)`;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${host}: is the server running, and are host and port in the Tenant URL right?`;
    case 'ENOTFOUND':
      return `DNS lookup of ${hostnameOf(host)} failed (ENOTFOUND: no such host); check the host name in the Tenant URL`;
    case 'EAI_AGAIN':
      return `DNS lookup of ${hostnameOf(host)} failed (EAI_AGAIN: no answer from DNS); check the host name in the Tenant URL and this machine's DNS`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect to ${host} in time (UND_ERR_CONNECT_TIMEOUT): is the host reachable from this machine (firewall, VPN, IP allow-list)?`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} is unreachable from this machine (${code})`;
  }
  if (code && CLOSED.has(code)) return `the connection to ${host} was closed before any answer (${code})`;
  const parser = chain.find((e) => e.name === 'HTTPParserError' || e.code?.startsWith('HPE_'));
  if (parser) {
    const began = typeof parser.data === 'string' && parser.data !== '' ? `; it began "${oneLine(parser.data).slice(0, 60)}"` : '';
    return `the answer from ${host} is not HTTP (${oneLine(parser.message)})${began}; is the port in the Tenant URL that of the SCIM server?`;
  }
  const tls = code ? tlsReason(code, coded, host) : undefined;
  if (tls) return tls;
  const message = oneLine(chain.map((e) => e.message).find((m) => m) ?? String(error));
  return `request failed${code ? ` (${code})` : ''}: ${message}`;
}
