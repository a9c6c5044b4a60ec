// Finds and deletes what a run left on the tenant, and nothing else. Used at the end of every
// run (and after SIGINT/SIGTERM), and by `scim-conformance cleanup --run-id X | --all-runs` for
// the leftovers of a run that crashed or was killed.
//
// Three sources, all narrowed to names that start with the run's prefix (every name the suite
// creates carries the run id, src/names.ts):
//   1. the run's journal on this machine (src/ledger.ts): ids the run created and never deleted,
//      read back first so that nothing is deleted on the strength of an id alone;
//   2. creates whose answer was lost, looked up by their exact name (filter eq);
//   3. a listing of /Groups and /Users by prefix: `filter=userName sw "<prefix>"` where the server
//      supports it, else (cleanup command only) every page of the unfiltered list. Pages are read
//      one at a time and only matches are kept: a tenant of 10,000 users is never held in memory.
// Every candidate is checked on the client side too, so a server that ignores filters cannot
// make the suite delete anyone else. Groups are deleted before users.
import { rmSync } from 'node:fs';
import { authorizationFor, type Credentials } from './auth.ts';
import { ScimClient, type ScimResponse } from './client.ts';
import { journalDirOf, readJournal, type Endpoint } from './ledger.ts';
import { RUN_PREFIX } from './target.ts';

export interface Found {
  endpoint: Endpoint;
  id: string;
  /** userName or displayName, as the server holds it. */
  name?: string;
}

export interface CleanupOptions {
  client: ScimClient;
  /** The run to clean up; undefined with allRuns. */
  runId?: string;
  /** Every name that starts with a generated run id (scimc-YYYYMMDDtHHMM-xxxxxx-), whatever run made it (runs in progress included). */
  allRuns?: boolean;
  /** Page through every user and group when the server cannot filter with `sw` (slow on big tenants). */
  pageWithoutFilter: boolean;
  /** Resources per page (default 100). */
  pageSize?: number;
  /** List what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Epoch ms after which no further request is sent. */
  deadline?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface CleanupResult {
  /** What was deleted (or, in a dry run, would be), groups first. */
  deleted: Found[];
  /** What could not be deleted, with the reason. */
  failed: Array<Found & { reason: string }>;
  /** Things the reader should know: a listing the server refused, a limit reached. */
  notes: string[];
  /** Whether the search covered everything it meant to (no refused listing, no limit reached). */
  complete: boolean;
  /** Whether every entry of the run's journal was settled (read back, looked up); then the journal can go. */
  journalSettled: boolean;
}

const MAX_PAGES = 2_000;
const NAME_ATTRIBUTE: Record<Endpoint, 'userName' | 'displayName'> = { Users: 'userName', Groups: 'displayName' };

/** A list the server refused: the search goes on without it. */
class Stop extends Error {}
/** The deadline passed: no further request is sent. */
class OutOfTime extends Error {}

/** The prefix every name of the run starts with: "scimc-20261128t1345-k3f9a2-", or "scimc-" for every run. */
export function prefixOf(options: Pick<CleanupOptions, 'runId' | 'allRuns'>): string {
  if (options.runId) return `${options.runId}-`;
  if (options.allRuns) return RUN_PREFIX;
  throw new Error('cleanup needs a run id or allRuns');
}

function nameOf(endpoint: Endpoint, resource: unknown): string | undefined {
  const value = typeof resource === 'object' && resource !== null ? (resource as Record<string, unknown>)[NAME_ATTRIBUTE[endpoint]] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function idOf(resource: unknown): string | undefined {
  const id = typeof resource === 'object' && resource !== null ? (resource as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Names made by any run: a run id as newRunId makes them (older ones had 4 random characters), then a dash. */
const ANY_RUN = /^scimc-\d{8}t\d{4}-[0-9a-z]{4,}-/i;

/**
 * Whether a name belongs to the run (or, for every run, starts with a generated run id).
 * userName and displayName are case-insensitive (RFC 7643 caseExact false), and some servers fold them.
 */
function hasPrefix(name: string | undefined, prefix: string): boolean {
  if (name === undefined || !name.toLowerCase().startsWith(prefix.toLowerCase())) return false;
  return prefix !== RUN_PREFIX || ANY_RUN.test(name);
}

function filterQuery(attribute: string, operator: 'eq' | 'sw', value: string): string {
  // Entra's encoding: spaces as '+', the value percent-encoded inside %22 quotes.
  return `filter=${attribute}+${operator}+%22${encodeURIComponent(value)}%22`;
}

function listPath(endpoint: Endpoint, query: string): string {
  // Groups can carry thousands of members; Entra asks for them without, so servers support it.
  const extra = endpoint === 'Groups' ? 'excludedAttributes=members' : '';
  const params = [query, extra].filter((p) => p !== '').join('&');
  return `/${endpoint}${params ? `?${params}` : ''}`;
}

function resourcesOf(res: ScimResponse): unknown[] | undefined {
  const body = res.json as { Resources?: unknown; totalResults?: unknown } | undefined;
  if (res.status !== 200 || typeof body !== 'object' || body === null) return undefined;
  if (Array.isArray(body.Resources)) return body.Resources;
  return body.totalResults === 0 ? [] : undefined;
}

function why(res: ScimResponse): string {
  return `answered ${res.status}${res.parseError ? ` (${res.parseError})` : ''}`;
}

class Search {
  readonly notes: string[] = [];
  complete = true;

  constructor(private readonly options: CleanupOptions) {}

  private checkDeadline(): void {
    if (this.options.deadline !== undefined && Date.now() > this.options.deadline) throw new OutOfTime('the time limit for cleanup was reached');
  }

  async get(path: string): Promise<ScimResponse> {
    this.checkDeadline();
    return this.options.client.get(path);
  }

  /**
   * Pages of a list, one request at a time; stops at the end, at an empty page, when the server
   * repeats a page (it ignores startIndex), or after MAX_PAGES. Answers undefined for a list the
   * server refuses on the first page.
   */
  async *pages(path: string, what: string): AsyncGenerator<unknown[], void, undefined> {
    const pageSize = this.options.pageSize ?? 100;
    let startIndex = 1;
    let previousFirst: string | undefined;
    for (let page = 1; ; page++) {
      const res = await this.get(`${path}${path.includes('?') ? '&' : '?'}startIndex=${startIndex}&count=${pageSize}`);
      const resources = resourcesOf(res);
      if (!resources) throw new Stop(`GET ${what} ${why(res)}`);
      if (resources.length === 0) return;
      const first = idOf(resources[0]);
      if (page > 1 && first !== undefined && first === previousFirst) {
        this.notes.push(`the server answered the same page twice for ${what} (it ignores startIndex); only its first ${startIndex - 1} resources were searched`);
        this.complete = false;
        return;
      }
      previousFirst = first;
      yield resources;
      startIndex += resources.length;
      const total = (res.json as { totalResults?: unknown }).totalResults;
      if (typeof total === 'number' && startIndex > total) return;
      if (page % 20 === 0) this.options.log?.(`cleanup: read ${startIndex - 1}${typeof total === 'number' ? ` of ${total}` : ''} ${what}`);
      if (page >= MAX_PAGES) {
        this.notes.push(`stopped listing ${what} after ${MAX_PAGES} pages`);
        this.complete = false;
        return;
      }
    }
  }

  /** The resources of an endpoint whose name starts with the prefix. */
  async byPrefix(endpoint: Endpoint, prefix: string): Promise<Found[]> {
    const attribute = NAME_ATTRIBUTE[endpoint];
    const found: Found[] = [];
    const keep = (resources: unknown[]) => {
      for (const resource of resources) {
        const id = idOf(resource);
        const name = nameOf(endpoint, resource);
        if (id && hasPrefix(name, prefix)) found.push({ endpoint, id, name });
      }
    };
    try {
      for await (const page of this.pages(listPath(endpoint, filterQuery(attribute, 'sw', prefix)), `/${endpoint} filtered by ${attribute} sw "${prefix}"`)) keep(page);
      return found;
    } catch (error) {
      if (error instanceof OutOfTime) throw error;
      if (!(error instanceof Stop) || found.length > 0) {
        // No answer at all, or a later page failed: what was found is kept, the rest is unknown.
        this.notes.push(`listing /${endpoint} stopped: ${(error as Error).message}`);
        this.complete = false;
        return found;
      }
      if (!this.options.pageWithoutFilter) {
        this.notes.push(`the server does not support filter=${attribute} sw (${error.message}); /${endpoint} was not searched by name`);
        this.complete = false;
        return found;
      }
      this.options.log?.(`cleanup: the server does not filter /${endpoint} by ${attribute} sw (${error.message}); reading every page instead`);
    }
    try {
      for await (const page of this.pages(listPath(endpoint, ''), `/${endpoint}`)) keep(page);
    } catch (error) {
      if (error instanceof OutOfTime) throw error;
      this.notes.push(`listing /${endpoint} stopped: ${(error as Error).message}`);
      this.complete = false;
    }
    return found;
  }

  /** A resource the journal says the run created: deleted only if it still carries a name of the run (or, as created, none). */
  async confirm(path: string, journalName: string | undefined, prefix: string): Promise<Found | undefined> {
    const [, endpoint, id] = /^\/(Users|Groups)\/(.+)$/.exec(path) ?? [];
    if (!endpoint || !id) return undefined;
    const res = await this.get(`/${endpoint}/${encodeURIComponent(id)}${endpoint === 'Groups' ? '?excludedAttributes=members' : ''}`);
    if (res.status === 404) return undefined;
    const name = nameOf(endpoint as Endpoint, res.json);
    if (res.status === 200 && (hasPrefix(name, prefix) || (name === undefined && journalName === undefined))) return { endpoint: endpoint as Endpoint, id, name };
    if (res.status === 200) this.notes.push(`${path} now holds "${name}", not a name of this run; left alone`);
    else this.notes.push(`GET ${path} ${why(res)}; not deleted`);
    return undefined;
  }

  /** A create whose answer was lost: found by its exact name. */
  async byName(endpoint: Endpoint, name: string, prefix: string): Promise<Found[]> {
    if (!hasPrefix(name, prefix)) return [];
    const res = await this.get(listPath(endpoint, filterQuery(NAME_ATTRIBUTE[endpoint], 'eq', name)));
    const found: Found[] = [];
    for (const resource of resourcesOf(res) ?? []) {
      const id = idOf(resource);
      const held = nameOf(endpoint, resource);
      if (id && held?.toLowerCase() === name.toLowerCase()) found.push({ endpoint, id, name: held });
    }
    return found;
  }
}

/** Finds the run's leftovers and deletes them, groups first. Never throws for what the server answers. */
export async function cleanupRun(options: CleanupOptions): Promise<CleanupResult> {
  const prefix = prefixOf(options);
  const search = new Search(options);
  const candidates = new Map<string, Found>();
  const add = (found: Found | undefined) => {
    if (found) candidates.set(`/${found.endpoint}/${found.id}`, found);
  };
  // One failed lookup costs that lookup only; the deadline ends the search.
  let journalSettled = true;
  const attempt = async (what: string, step: () => Promise<void>): Promise<boolean> => {
    try {
      await step();
      return true;
    } catch (error) {
      if (error instanceof OutOfTime) throw error;
      search.complete = false;
      search.notes.push(`${what}: ${(error as Error).message}`);
      return false;
    }
  };
  try {
    if (options.runId) {
      const journal = readJournal(journalDirOf(options.runId));
      journalSettled = false;
      let settled = true;
      for (const { path, name } of journal.leftovers) settled = (await attempt(`reading back ${path}`, async () => add(await search.confirm(path, name, prefix)))) && settled;
      for (const { endpoint, name } of journal.unconfirmed) {
        const ok = await attempt(`looking up ${name}`, async () => {
          for (const found of await search.byName(endpoint, name, prefix)) add(found);
        });
        settled = ok && settled;
      }
      journalSettled = settled;
    }
    for (const endpoint of ['Groups', 'Users'] as const) {
      await attempt(`listing /${endpoint}`, async () => {
        for (const found of await search.byPrefix(endpoint, prefix)) add(found);
      });
    }
  } catch (error) {
    search.complete = false;
    search.notes.push((error as Error).message);
  }

  const ordered = [...candidates.values()].sort((a, b) => Number(b.endpoint === 'Groups') - Number(a.endpoint === 'Groups'));
  const deleted: Found[] = [];
  const failed: CleanupResult['failed'] = [];
  for (const found of ordered) {
    if (options.dryRun) {
      deleted.push(found);
      continue;
    }
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      failed.push({ ...found, reason: 'not tried: the time limit for cleanup was reached' });
      continue;
    }
    try {
      const res = await options.client.delete(`/${found.endpoint}/${encodeURIComponent(found.id)}`);
      if (res.status < 300 || res.status === 404) deleted.push(found);
      else failed.push({ ...found, reason: why(res) });
    } catch (error) {
      failed.push({ ...found, reason: (error as Error).message });
    }
  }
  return { deleted, failed, notes: search.notes, complete: search.complete, journalSettled: journalSettled && failed.length === 0 && !options.dryRun };
}

/** "/Groups/7 (scimc-...-group-3)" */
export function describeFound(found: Found): string {
  return `/${found.endpoint}/${found.id}${found.name !== undefined ? ` (${found.name})` : ''}`;
}

/** Removes the run's journal once nothing of the run is known to be left. */
export function forgetJournal(runId: string): void {
  rmSync(journalDirOf(runId), { recursive: true, force: true });
}

export interface FinishedRun {
  baseUrl: string;
  credentials: Credentials;
  timeoutMs: number;
  runId: string;
  /** The run ended by SIGINT/SIGTERM or a crash: say more about what could not be searched. */
  interrupted?: boolean;
  /** How long the cleanup may take (default 120 s); a second signal ends it sooner. */
  budgetMs?: number;
}

const SHOWN = 10;

function listOf(found: readonly Found[]): string {
  const shown = found.slice(0, SHOWN).map(describeFound).join(', ');
  return found.length > SHOWN ? `${shown} and ${found.length - SHOWN} more` : shown;
}

/**
 * The end of every run against a tenant: deletes what the spec files left (a file whose process
 * died, a DELETE that failed, a create whose answer was lost), by the journal and by name.
 * Filtered listings only: a tenant without `sw` support is not paged through after every run.
 * Prints only when there was something to say.
 */
export async function cleanUpAfterRun(run: FinishedRun): Promise<CleanupResult> {
  const client = new ScimClient({ baseUrl: run.baseUrl, authorization: authorizationFor(run.credentials, run.timeoutMs), timeoutMs: run.timeoutMs, retries: 1 });
  try {
    const result = await cleanupRun({ client, runId: run.runId, pageWithoutFilter: false, deadline: Date.now() + (run.budgetMs ?? 120_000) });
    const { deleted, failed, notes } = result;
    if (deleted.length > 0) console.log(`scim-conformance: cleanup at the end of the run deleted ${deleted.length} resource(s) the run had left: ${listOf(deleted)}`);
    else if (run.interrupted) console.log(`scim-conformance: cleanup found nothing of run ${run.runId} left on the tenant`);
    if (failed.length > 0) {
      console.error(`scim-conformance: could not delete ${failed.length} resource(s) of run ${run.runId}: ${failed.slice(0, SHOWN).map((f) => `${describeFound(f)}: ${f.reason}`).join('; ')}`);
    }
    const worrying = failed.length > 0 || (run.interrupted === true && !result.complete);
    if (worrying) {
      for (const note of notes) console.error(`scim-conformance: cleanup: ${note}`);
      console.error(`scim-conformance: to delete what run ${run.runId} left, run: scim-conformance cleanup --run-id ${run.runId}`);
    }
    if (result.journalSettled) forgetJournal(run.runId);
    return result;
  } finally {
    await client.close();
  }
}
