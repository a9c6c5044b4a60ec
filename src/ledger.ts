// Remembers every resource the run creates and deletes what is left at the end of each spec
// file, whatever failed. Fed by the client (src/suite.ts): any POST that answers an id is
// recorded, any DELETE that succeeds crosses it off.
//
// Each spec file also writes what it records to a journal on disk (one JSON line per event, in
// a directory named after the run id), so that the end of the run (src/cleanup.ts) can delete
// what a file left behind even when its process died, and so that `scim-conformance cleanup
// --run-id` on the same machine knows the ids of a crashed run. A create whose answer was lost
// (no answer, 5xx, 2xx without id) is journalled by name as "unconfirmed": the server may have
// made it, and only a lookup by that name can tell.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ScimClient } from './client.ts';

export type Endpoint = 'Users' | 'Groups';

export type JournalEntry =
  | { op: 'created'; path: string; name?: string }
  | { op: 'deleted'; path: string }
  | { op: 'unconfirmed'; endpoint: Endpoint; name: string };

interface Created {
  /** Resource path relative to the tenant URL, with the id as the server gave it (not encoded): /Users/<id> */
  path: string;
}

const created = new Map<string, Created>();
let journalFile: string | undefined;

/** Where the journal of a run lives: one directory per run id, in the OS temporary directory. */
export function journalDirOf(runId: string): string {
  return join(tmpdir(), `scim-conformance-${runId}`);
}

/** Starts writing this process's records to the run's journal. A journal that cannot be written only costs the end-of-run pass its ids. */
export function openJournal(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    journalFile = join(dir, `${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
  } catch (error) {
    journalFile = undefined;
    console.warn(`scim-conformance: cannot write the cleanup journal in ${dir} (${(error as Error).message}); cleanup at the end of the run will find resources by name only`);
  }
}

function journal(entry: JournalEntry): void {
  if (!journalFile) return;
  try {
    appendFileSync(journalFile, `${JSON.stringify(entry)}\n`);
  } catch {
    journalFile = undefined;
  }
}

export function recordCreated(endpoint: Endpoint, id: string, name?: string): void {
  const path = `/${endpoint}/${id}`;
  created.set(path, { path });
  journal({ op: 'created', path, ...(name !== undefined && { name }) });
}

export function recordDeleted(path: string): void {
  created.delete(path);
  journal({ op: 'deleted', path });
}

/** A create whose outcome is unknown: the server may hold a resource of that name. */
export function recordUnconfirmed(endpoint: Endpoint, name: string): void {
  journal({ op: 'unconfirmed', endpoint, name });
}

export function leftovers(): string[] {
  return [...created.keys()];
}

/** Groups first: deleting a group first means no membership keeps a user. */
export function groupsFirst(paths: readonly string[]): string[] {
  return [...paths].sort((a, b) => Number(b.startsWith('/Groups')) - Number(a.startsWith('/Groups')));
}

/**
 * Deletes what is left: groups first (so that memberships do not keep users), then users.
 * Returns the paths that could not be deleted, for a warning.
 */
export async function cleanUp(client: ScimClient): Promise<string[]> {
  const failed: string[] = [];
  for (const path of groupsFirst(leftovers())) {
    const [, endpoint, id] = /^\/(Users|Groups)\/(.+)$/.exec(path) ?? [];
    try {
      const res = await client.delete(`/${endpoint}/${encodeURIComponent(id ?? '')}`);
      if (res.status < 300 || res.status === 404) recordDeleted(path);
      else failed.push(`${path} (${res.status})`);
    } catch (error) {
      failed.push(`${path} (${(error as Error).message})`);
    }
  }
  return failed;
}

export interface JournalState {
  /** Resources created and not known to be deleted, groups first, with the name they were created with. */
  leftovers: Array<{ path: string; name?: string }>;
  /** Creates whose outcome is unknown, by name. */
  unconfirmed: Array<{ endpoint: Endpoint; name: string }>;
}

/** Reads every journal file of a run; a missing directory is an empty journal. Torn lines (a process killed mid-write) are skipped. */
export function readJournal(dir: string): JournalState {
  const live = new Map<string, string | undefined>();
  const unconfirmed = new Map<string, { endpoint: Endpoint; name: string }>();
  if (!existsSync(dir)) return { leftovers: [], unconfirmed: [] };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue;
      }
      if (entry.op === 'created') live.set(entry.path, entry.name);
      else if (entry.op === 'deleted') live.delete(entry.path);
      else if (entry.op === 'unconfirmed') unconfirmed.set(`${entry.endpoint}\n${entry.name}`, { endpoint: entry.endpoint, name: entry.name });
    }
  }
  const leftovers = groupsFirst([...live.keys()]).map((path) => ({ path, ...(live.get(path) !== undefined && { name: live.get(path) }) }));
  return { leftovers, unconfirmed: [...unconfirmed.values()] };
}
