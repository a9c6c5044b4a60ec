// Records what an in-process HTTP server receives, without touching its code: node's
// diagnostics channels report each request when its headers are parsed and each response when it
// is finished. A request is tagged with a header (visible to the server only, never sent) so that
// the server's own log of bodies (ReferenceServer.received) can be matched with timings, status
// and Location of the answer, and the connection it came on.
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const SEQ_HEADER = 'x-bench-seq';

export interface Recorded {
  seq: number;
  method: string;
  /** Path and query as received. */
  url: string;
  /** Connection number (in order of first use): requests of one connection were sent one after another. */
  connection: number;
  /** performance.now() when the headers arrived and when the answer was finished. */
  start: number;
  end?: number;
  status?: number;
  location?: string;
}

interface StartMessage {
  request: IncomingMessage;
  socket: Socket;
}
interface FinishMessage {
  request: IncomingMessage;
  response: ServerResponse;
}

export class TrafficRecorder {
  readonly requests: Recorded[] = [];
  private readonly connections = new WeakMap<Socket, number>();
  private connectionCount = 0;
  private readonly onStart = (message: unknown) => {
    const { request, socket } = message as StartMessage;
    if (socket.localPort !== this.port) return;
    let connection = this.connections.get(socket);
    if (connection === undefined) this.connections.set(socket, (connection = ++this.connectionCount));
    const seq = this.requests.length + 1;
    request.headers[SEQ_HEADER] = String(seq);
    this.requests.push({ seq, method: request.method ?? '', url: request.url ?? '', connection, start: performance.now() });
  };
  private readonly onFinish = (message: unknown) => {
    const { request, response } = message as FinishMessage;
    const seq = Number(request.headers[SEQ_HEADER]);
    const entry = this.requests[seq - 1];
    if (!entry || entry.url !== request.url) return;
    entry.end = performance.now();
    entry.status = response.statusCode;
    // Headers given to writeHead() are not readable with getHeader(); the header block sent is.
    const location = response.getHeader('location') ?? /^location:\s*(.*?)\r?$/im.exec(String((response as unknown as { _header?: string })._header ?? ''))?.[1];
    if (typeof location === 'string') entry.location = location;
  };

  /** Records the requests that arrive on `port` (the server's listening port). */
  constructor(private readonly port: number) {
    dc.subscribe('http.server.request.start', this.onStart);
    dc.subscribe('http.server.response.finish', this.onFinish);
  }

  stop(): void {
    dc.unsubscribe('http.server.request.start', this.onStart);
    dc.unsubscribe('http.server.response.finish', this.onFinish);
  }
}
