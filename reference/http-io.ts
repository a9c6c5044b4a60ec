// HTTP plumbing: reading request bodies, media types, and writing SCIM answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, errorBody, ScimError } from './errors.ts';

export const SCIM_MEDIA_TYPE = 'application/scim+json';
const MAX_BODY_BYTES = 1024 * 1024;

export interface ScimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** An HTML page instead of a JSON body: what a proxy or web framework answers before SCIM code runs (fault switches only). */
  html?: string;
}

/** A bare HTML error page, as Tomcat, IIS or a reverse proxy write them. */
export const htmlPage = (status: number, title: string): ScimResponse => ({
  status,
  html: `<!doctype html><html><head><title>${status} ${title}</title></head><body><h1>${status} ${title}</h1></body></html>`,
});

export interface ResponseOptions {
  /** Fault `content-type-json`: answer application/json instead of application/scim+json. */
  plainJson: boolean;
  /** Fault `error-status-number`: Error `status` as a number. */
  numericErrorStatus: boolean;
}

/** `application/scim+json; charset=utf-8` → `application/scim+json` (media types are case-insensitive). */
export function mediaTypeOf(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** The whole body as text; `tooLarge` when it passed the limit (the rest is drained and dropped). */
export function readBody(request: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES }));
    request.on('error', reject);
  });
}

export const bodyTooLarge = () => new ScimError(413, undefined, `The request body exceeds ${MAX_BODY_BYTES} bytes`);

/**
 * Parses a JSON request body. RFC 7644 §3.1 media type is application/scim+json; application/json
 * is accepted too (RFC 7644 §8.1 lets servers accept it), as is a body without a Content-Type.
 */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  const type = mediaTypeOf(contentType);
  if (type !== undefined && type !== SCIM_MEDIA_TYPE && type !== 'application/json') {
    throw new ScimError(415, undefined, `Unsupported Content-Type "${contentType}"; send ${SCIM_MEDIA_TYPE}`);
  }
  if (text.trim() === '') throw badRequest('invalidSyntax', 'The request has no body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest('invalidSyntax', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A request as the router sees it: the path is relative to the base path. */
export interface ScimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  contentType: string | undefined;
}

export type Handler = (request: ScimRequest, ...params: string[]) => ScimResponse;

export interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

export function errorResponse(error: ScimError, options: ResponseOptions): ScimResponse {
  return { status: error.status, body: errorBody(error, options.numericErrorStatus), headers: error.headers };
}

export function writeResponse(response: ServerResponse, answer: ScimResponse, options: ResponseOptions): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.html !== undefined) {
    headers['Content-Type'] = 'text/html; charset=utf-8';
    response.writeHead(answer.status, headers).end(answer.html);
    return;
  }
  if (answer.body === undefined) {
    response.writeHead(answer.status, headers).end();
    return;
  }
  const text = JSON.stringify(answer.body);
  headers['Content-Type'] = `${options.plainJson ? 'application/json' : SCIM_MEDIA_TYPE}; charset=utf-8`;
  headers['Content-Length'] = String(Buffer.byteLength(text));
  response.writeHead(answer.status, headers).end(text);
}
