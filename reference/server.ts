// The reference SCIM 2.0 server: node:http, in memory, strictly RFC 7643/7644 for what it covers,
// accepting what Entra sends, with named fault switches. Imports nothing from src/ or specs/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAuthorized } from './auth.ts';
import { createMonotonicClock } from './clock.ts';
import { badRequest, ScimError } from './errors.ts';
import { Faults } from './faults.ts';
import { bodyTooLarge, errorResponse, htmlPage, readBody, writeResponse, type ResponseOptions, type ScimResponse } from './http-io.ts';
import { underLoad } from './load-faults.ts';
import { ResourceService } from './resources.ts';
import { createRouter } from './routes.ts';
import { ResourceStore } from './store.ts';

export interface ReferenceServerOptions {
  /** Required bearer token. */
  token: string;
  /** 0 / undefined = ephemeral. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default '/scim/v2'. */
  basePath?: string;
  /** Named fault switches to turn on (see FAULTS in faults.ts). */
  faults?: Iterable<string>;
  /** HTTP Basic credentials accepted besides the bearer token (Okta's option). */
  basic?: { username: string; password: string };
  /** More bearer tokens accepted, e.g. issued by a test's OAuth token endpoint; read on every request. */
  acceptedTokens?: ReadonlySet<string>;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ReferenceServer {
  /** e.g. 'http://127.0.0.1:41234/scim/v2' */
  baseUrl: string;
  /** Every request received, in order (for wire assertions in tests). */
  received: ReceivedRequest[];
  /** Closes the server and all keep-alive sockets promptly. */
  close(): Promise<void>;
  /** Empties the store and the received log. */
  reset(): void;
  /** Bulk-inserts n simple users directly (for paging and scale tests). */
  seedUsers(n: number, prefix?: string): void;
}

/** 'scim/v2/' → '/scim/v2'; '/' → '' (resources at the root). */
function normaliseBasePath(basePath: string): string {
  return `/${basePath}`.replace(/\/+/g, '/').replace(/\/$/, '');
}

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

export async function startReferenceServer(options: ReferenceServerOptions): Promise<ReferenceServer> {
  if (typeof options.token !== 'string' || options.token === '') throw new Error('startReferenceServer: a non-empty token is required');
  const faults = new Faults(options.faults ?? []); // throws on unknown names, before anything listens
  const host = options.host ?? '127.0.0.1';
  const basePath = normaliseBasePath(options.basePath ?? '/scim/v2');
  const respond: ResponseOptions = { plainJson: faults.has('content-type-json'), numericErrorStatus: faults.has('error-status-number') };
  const received: ReceivedRequest[] = [];
  const store = new ResourceStore();
  const clock = createMonotonicClock();
  let app: { service: ResourceService; route: ReturnType<typeof createRouter> } | undefined;

  async function handle(request: IncomingMessage): Promise<ScimResponse> {
    const { text, tooLarge } = await readBody(request);
    received.push({ method: request.method ?? '', url: request.url ?? '', headers: { ...request.headers }, body: text });
    if (!app) throw new ScimError(503, undefined, 'The server is starting');
    await underLoad(faults, received.length);
    // Prefix rather than resolve: a target like "//scim/v2/Users" must stay a path, not become a host.
    const target = request.url ?? '/';
    if (faults.has('filter-raw-quotes-rejected') && target.includes('"')) return htmlPage(400, 'Bad Request');
    const url = new URL(target.startsWith('/') ? `http://reference.invalid${target}` : target);
    const path = url.pathname.replace(/\/{2,}/g, '/');
    if (path !== basePath && !path.startsWith(`${basePath}/`)) throw new ScimError(404, undefined, `No endpoint ${path}; the SCIM base path is ${basePath}`);
    if (!faults.has('auth-not-enforced') && !isAuthorized(request.headers.authorization, options)) {
      if (faults.has('auth-html-401')) return htmlPage(401, 'Unauthorized');
      const missing = request.headers.authorization === undefined;
      // RFC 9110 §11.6.1: a 401 carries a challenge; the fault `no-www-authenticate` leaves it out.
      const challenge = missing ? 'Bearer realm="scim"' : 'Bearer realm="scim", error="invalid_token"';
      throw new ScimError(faults.has('auth-403') ? 403 : 401, undefined, missing ? 'Authorization header with a bearer token is required' : 'The bearer token is not valid', {
        ...(!faults.has('no-www-authenticate') && { 'WWW-Authenticate': challenge }),
      });
    }
    if (tooLarge) throw bodyTooLarge();
    const relative = path.slice(basePath.length).replace(/\/$/, '') || '/';
    // Fault: a "+" in the query read as a literal plus (decodeURIComponent), not as a space.
    const query = faults.has('filter-plus-not-decoded') ? new URLSearchParams(url.search.replace(/\+/g, '%2B')) : url.searchParams;
    // Fault: a hand-written parser that splits the raw filter on "+" only knows Entra's encoding.
    if (faults.has('filter-only-plus-encoding') && /(?:^|&)filter=[^&]*%20/i.test(url.search.slice(1))) {
      throw badRequest('invalidFilter', 'Cannot parse the filter: expected "<attribute>+<operator>+<value>"');
    }
    return app.route({ method: (request.method ?? 'GET').toUpperCase(), path: relative, query, body: text, contentType: request.headers['content-type'] });
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    handle(request)
      .catch((error: unknown) => {
        if (error instanceof ScimError) return errorResponse(error, respond);
        console.error('reference server: unexpected error', error);
        return errorResponse(new ScimError(500, undefined, `Internal server error: ${(error as Error)?.message ?? String(error)}`), respond);
      })
      .then((answer) => writeResponse(response, answer, respond))
      .catch((error: unknown) => {
        console.error('reference server: cannot write the response', error);
        response.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${hostForUrl(host)}:${port}${basePath}`;
  const startedAt = clock();
  const service = new ResourceService(store, clock, faults, baseUrl);
  app = { service, route: createRouter({ service, faults, baseUrl, startedAt }) };

  return {
    baseUrl,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    reset() {
      store.clear();
      service.resetCounters();
      received.length = 0;
    },
    seedUsers: (n, prefix) => service.seedUsers(n, prefix),
  };
}
