// The floor: the request list a suite run sent, replayed with plain undici calls against a fresh
// reference server, either one after another in one loop, or one loop per connection the suite
// used (its concurrency). Ids the original run got back from creates (Location headers) are
// swapped for the ids the replay gets, so that every GET/PATCH/DELETE of a created resource finds
// it again; the replay's statuses are compared with the original's as a check of fidelity.
import { Agent } from 'undici';
import { SEQ_HEADER } from './traffic.ts';

export interface ReplayRequest {
  seq: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  connection: number;
  /** The original answer. */
  status?: number;
  location?: string;
}

export interface ReplayResult {
  ms: number;
  requests: number;
  /** Replayed answers whose status differs from the original's. */
  mismatched: number;
  mismatchExamples: string[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const DROPPED = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', SEQ_HEADER]);

function idOfLocation(location: string | undefined): string | undefined {
  return location?.split('?')[0]?.split('/').filter(Boolean).at(-1);
}

class IdMap {
  private readonly created = new Set<string>();
  private readonly mapped = new Map<string, string>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(requests: readonly ReplayRequest[]) {
    for (const r of requests) {
      const id = idOfLocation(r.location);
      if (id) this.created.add(id);
    }
  }

  set(original: string, replayed: string): void {
    this.mapped.set(original, replayed);
    for (const wake of this.waiting.get(original) ?? []) wake();
    this.waiting.delete(original);
  }

  /** The text with every original id swapped; waits for ids whose create has not been replayed yet (another connection's). */
  async translate(text: string): Promise<string> {
    const pending = [...new Set(text.match(UUID) ?? [])].filter((id) => this.created.has(id) && !this.mapped.has(id));
    await Promise.all(
      pending.map(
        (id) =>
          new Promise<void>((resolve) => {
            const list = this.waiting.get(id) ?? [];
            list.push(resolve);
            this.waiting.set(id, list);
          }),
      ),
    );
    return text.replace(UUID, (id) => this.mapped.get(id) ?? id);
  }
}

export async function replay(origin: string, requests: readonly ReplayRequest[], mode: 'sequential' | 'per-connection'): Promise<ReplayResult> {
  const connections = new Set(requests.map((r) => r.connection)).size;
  const agent = new Agent({ connections: mode === 'sequential' ? 1 : Math.max(1, connections), keepAliveTimeout: 10_000 });
  const ids = new IdMap(requests);
  const result: ReplayResult = { ms: 0, requests: requests.length, mismatched: 0, mismatchExamples: [] };
  const send = async (r: ReplayRequest) => {
    const path = await ids.translate(r.url);
    const body = r.body === '' ? undefined : await ids.translate(r.body);
    const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !DROPPED.has(k.toLowerCase())));
    const answer = await agent.request({ origin, path, method: r.method as 'GET', headers, body });
    await answer.body.dump();
    const original = idOfLocation(r.location);
    const location = answer.headers.location;
    const replayed = idOfLocation(Array.isArray(location) ? location[0] : location);
    if (original && replayed) ids.set(original, replayed);
    if (r.status !== undefined && answer.statusCode !== r.status) {
      result.mismatched++;
      if (result.mismatchExamples.length < 5) result.mismatchExamples.push(`${r.method} ${r.url.slice(0, 80)}: ${r.status} then, ${answer.statusCode} now`);
    }
  };
  const started = performance.now();
  try {
    if (mode === 'sequential') {
      for (const r of requests) await send(r);
    } else {
      const lanes = new Map<number, ReplayRequest[]>();
      for (const r of requests) lanes.set(r.connection, [...(lanes.get(r.connection) ?? []), r]);
      await Promise.all(
        [...lanes.values()].map(async (lane) => {
          for (const r of lane) await send(r);
        }),
      );
    }
    result.ms = performance.now() - started;
  } finally {
    await agent.close();
  }
  return result;
}
