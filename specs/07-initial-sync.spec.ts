// Step 7, initial sync under load (off unless SCIM_LOAD=1 or --load). When the admin starts
// provisioning, Entra's first cycle provisions every assigned user and group: for each user it
// looks the matching attribute up (GET /Users?filter=userName eq "...") and, finding no one,
// creates the user; for each group it looks the displayName up with excludedAttributes=members,
// creates the group, then adds its members with PATCH, several per request. Gallery apps must
// "support at least 25 requests per second per tenant". This step replays that cycle for
// SCIM_LOAD_USERS users and SCIM_LOAD_GROUPS groups, paced to SCIM_LOAD_RATE requests per second
// with at most SCIM_LOAD_CONCURRENCY in flight, honouring Retry-After on 429, and reports what the
// endpoint sustained. Everything it created is deleted afterwards, in bulk, at the same bounded rate.
import { afterAll, beforeAll, describe } from 'vitest';
import {
  CheckFailure,
  applicableOnlyIf,
  check,
  entra,
  lifecycle,
  requires,
  target,
  uniqueName,
  type ScimResponse,
} from '../src/harness.ts';
import type { Exchange } from '../src/exchange.ts';
import { deleteInBulk } from '../src/load/bulk-delete.ts';
import { LoadDriver, type LoadReport } from '../src/load/driver.ts';
import { loadClient } from '../src/load/load-client.ts';
import { chunks } from '../src/load/pool.ts';
import { attachSamples, publishLoad } from '../src/load/publish.ts';
import { answersTable, fullReport, latencyTable, problemsTable, summaryTable, throttlingTable, type Scenario } from '../src/load/report.ts';

const RATE =
  'Entra gallery onboarding checklist: "Support at least 25 requests per second per tenant to ensure that users and groups are provisioned and deprovisioned without delay (Required)"';
const LATENCY =
  'Entra: the provisioning service waits at most 60 seconds for an answer (wire-reference §0: "answers within 60 s"); a request without an answer is a failed provisioning event, and more than 40% failed events quarantine the job';
const NO_5XX =
  'Entra: a 5xx answer is a failed provisioning event, retried in later cycles; "if more than 40% of events fail" the job is quarantined (application-provisioning-quarantine-status)';
const IN_ORDER =
  'Entra: for each user "Get User by query" answering an empty ListResponse, then "Create User" answering 201 with the id; for each group "Get Group by displayName" (excludedAttributes=members), "Create Group", then "Update Group [Add Members]" (200 or 204); gallery checklist: "Support updating multiple group memberships with a single PATCH"';
const THROTTLING =
  'RFC 6585 §4: 429 Too Many Requests "MAY include a Retry-After header indicating how long to wait before making a new request"; Entra: on 429 "it will suspend all provisioning activities for the time period indicated in the Retry-After header" (Microsoft Q&A); the suite honours Retry-After itself and reports every 429';

const OFF = 'load step off (SCIM_LOAD=1 to run it)';
/** The rate Entra requires of gallery apps, in requests per second. */
const ENTRA_RATE = 25;
/** Pacing is exact only on average: the achieved rate may fall this much short of the paced one. */
const RATE_TOLERANCE = 0.95;
/** A sustained rate needs a sustained run: fewer requests than this measure start-up, not rate. */
const MIN_REQUESTS_FOR_RATE = 50;
/** Members per "Add members" PATCH (the suite's choice; Entra sends several per request). */
const MEMBERS_PER_PATCH = 10;
/** Entra's limit on waiting for an answer. */
const ENTRA_ANSWER_LIMIT_MS = 60_000;

const settings = target.load;
const groupsOn = target.groups && (settings?.groups ?? 0) > 0;
const scenario: Scenario | undefined = settings && { users: settings.users, groups: groupsOn ? settings.groups : 0, membersPerPatch: MEMBERS_PER_PATCH };

/** Requests the sync sends when every answer is as Entra needs: a lookup and a create per user and group, and the member PATCHes. */
function plannedRequests(s: Scenario): number {
  const perGroup = (j: number) => Math.ceil(Math.floor((s.users - j - 1) / s.groups + 1) / s.membersPerPatch);
  let patches = 0;
  for (let j = 0; j < s.groups; j++) patches += s.users > j ? perGroup(j) : 0;
  return 2 * s.users + 2 * s.groups + patches;
}

const planned = scenario ? plannedRequests(scenario) : 0;
/** Sending stops after three times the paced duration: an endpoint that slow does not sustain the rate anyway. */
const syncBudgetMs = settings ? Math.max(60_000, (3 * planned * 1000) / settings.rate) : 0;
const cleanupBudgetMs = settings ? Math.max(60_000, (3 * (settings.users + settings.groups) * 1000) / settings.rate) : 0;
/** Room for one more request in flight and one Retry-After at the end of a budget. */
const slackMs = target.timeoutMs + 60_000 + 30_000;

const isEmptyList = (res: ScimResponse) => (res.json as { totalResults?: unknown } | undefined)?.totalResults === 0;
const idOf = (res: ScimResponse | undefined) => {
  const id = (res?.json as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
};
const memberIds = (res: ScimResponse) => {
  const members = (res.json as { members?: unknown } | undefined)?.members;
  return Array.isArray(members) ? members.map((m) => String((m as { value?: unknown })?.value)) : [];
};

interface SyncResult {
  report: LoadReport;
  samples: ReturnType<LoadDriver['samples']>;
  /** Groups read back after the sync that could not be read or whose members were not the ones added. */
  wrongMembers: Array<{ group: string; problem: string; exchange?: Exchange }>;
  groupsReadBack: number;
}

interface GroupPlan {
  displayName: string;
  externalId: string;
  id?: string;
  /** Ids of the users added as members. */
  members: string[];
}

/** Entra's first cycle, in its order. Every resource created goes into `created`, for the cleanup. */
async function initialSync(driver: LoadDriver, s: Scenario, created: string[]): Promise<GroupPlan[]> {
  // Users: lookup by the matching attribute, then create when nobody matches.
  const userIds: Array<string | undefined> = new Array(s.users);
  const seeds = Array.from({ length: s.users }, (_, i) => entra.userSeed(`load-${i + 1}`));
  await driver.forEach(seeds, async (seed, i) => {
    const lookup = await driver.send('lookup user', { method: 'GET', path: entra.lookupPath('Users', 'userName', seed.userName) }, [200]);
    if (!lookup.ok || !lookup.res) return;
    if (!isEmptyList(lookup.res)) {
      driver.problem('lookup user', 'a lookup of a userName nobody has yet did not answer totalResults 0 (so Entra would match someone instead of creating the user)', lookup.res);
      return;
    }
    const create = await driver.send('create user', { method: 'POST', path: '/Users', body: entra.createUserBody(seed) }, [201]);
    const id = idOf(create.res);
    if (create.ok && !id) driver.problem('create user', 'answered 201 without an id (Entra caches the id for every later request)', create.res);
    if (id) {
      userIds[i] = id;
      created.push(`/Users/${id}`);
    }
  });
  if (s.groups === 0) return [];

  // Groups: lookup by displayName without members, create, then add the members in PATCHes.
  const groups: GroupPlan[] = Array.from({ length: s.groups }, (_, j) => ({ displayName: uniqueName(`load-group-${j + 1}`), externalId: uniqueName(`load-group-${j + 1}-ext`), members: [] }));
  // Each user is a member of one group, in turn.
  userIds.forEach((id, i) => {
    if (id) groups[i % s.groups]!.members.push(id);
  });
  await driver.forEach(groups, async (group) => {
    const path = `/Groups?excludedAttributes=members&${entra.filterEncodings.entra('displayName', group.displayName)}`;
    const lookup = await driver.send('lookup group', { method: 'GET', path }, [200]);
    if (!lookup.ok || !lookup.res) return;
    if (!isEmptyList(lookup.res)) {
      driver.problem('lookup group', 'a lookup of a displayName no group has yet did not answer totalResults 0', lookup.res);
      return;
    }
    const create = await driver.send('create group', { method: 'POST', path: '/Groups', body: entra.createGroupBody(group.displayName, group.externalId) }, [201]);
    group.id = idOf(create.res);
    if (create.ok && !group.id) driver.problem('create group', 'answered 201 without an id', create.res);
    if (!group.id) return;
    created.push(`/Groups/${group.id}`);
    for (const batch of chunks(group.members, s.membersPerPatch)) {
      await driver.send('add members', { method: 'PATCH', path: `/Groups/${group.id}`, body: entra.patchOp(lifecycle.addMembers(...batch)) }, [200, 204]);
    }
  });
  return groups;
}

/** After the sync: every group holds exactly the members added (read back, members included). */
async function readBackGroups(driver: LoadDriver, groups: readonly GroupPlan[]): Promise<Pick<SyncResult, 'wrongMembers' | 'groupsReadBack'>> {
  const wrongMembers: SyncResult['wrongMembers'] = [];
  let groupsReadBack = 0;
  await driver.forEach(
    groups.filter((g) => g.id),
    async (group) => {
      const sent = await driver.send('read group back', { method: 'GET', path: `/Groups/${group.id}` }, [200]);
      if (!sent.ok || !sent.res) {
        const what = sent.res ? `status ${sent.res.status}` : (sent.error ?? sent.notSent ?? 'not sent');
        wrongMembers.push({ group: group.displayName, problem: `GET /Groups/{id} to read it back: ${what}`, ...(sent.res && { exchange: sent.res.exchange }) });
        return;
      }
      groupsReadBack++;
      const got = new Set(memberIds(sent.res));
      const missing = group.members.filter((id) => !got.has(id)).length;
      const extra = [...got].filter((id) => !group.members.includes(id)).length;
      if (missing + extra > 0) {
        const problem = `${got.size} members instead of the ${group.members.length} added (${missing} missing, ${extra} extra)`;
        wrongMembers.push({ group: group.displayName, problem, exchange: sent.res.exchange });
      }
    },
  );
  return { wrongMembers, groupsReadBack };
}

describe('07 Initial sync under load', () => {
  const created: string[] = [];
  let outcome: SyncResult | { error: unknown } | undefined;
  const client = settings && !target.readOnly ? loadClient({ baseUrl: target.baseUrl, token: target.token, timeoutMs: target.timeoutMs, concurrency: settings.concurrency }) : undefined;

  beforeAll(async () => {
    if (!settings || !scenario || !client) return;
    const driver = new LoadDriver({ client, ratePerSecond: settings.rate, concurrency: settings.concurrency, retries: target.retries, budgetMs: syncBudgetMs });
    try {
      const groups = await initialSync(driver, scenario, created);
      // The sync's numbers, before the read-back (which is the suite's, not Entra's).
      const report = driver.report();
      const samples = driver.samples();
      outcome = { report, samples, ...(await readBackGroups(driver, groups)) };
      console.log(`initial sync of ${scenario.users} users and ${scenario.groups} groups (${planned} requests planned):\n${fullReport(report, scenario)}`);
    } catch (error) {
      outcome = { error };
    }
  }, syncBudgetMs + slackMs);

  afterAll(async () => {
    if (!settings || !client) return;
    try {
      if (created.length === 0) return;
      const driver = new LoadDriver({ client, ratePerSecond: settings.rate, concurrency: settings.concurrency, retries: target.retries, budgetMs: cleanupBudgetMs });
      const result = await deleteInBulk(driver, created);
      if (result.failed.length > 0) {
        console.warn(`scim-conformance: the load step could not delete ${result.failed.length} of ${created.length} resources (the end of the run tries again): ${result.failed.slice(0, 5).join('; ')}`);
      }
    } finally {
      await client.close();
    }
  }, cleanupBudgetMs + slackMs);

  /** The sync's result; the check is not applicable when the step is off, and fails when the sync itself broke. */
  const result = (): SyncResult => {
    applicableOnlyIf(settings, OFF);
    const done = requires(outcome, 'the initial sync did not run');
    if ('error' in done) throw done.error;
    return done;
  };

  check(
    {
      id: 'LOAD-01',
      severity: 'should',
      requirement: RATE,
      title: `An initial sync in Entra's order (SCIM_LOAD_USERS users, SCIM_LOAD_GROUPS groups), paced to SCIM_LOAD_RATE with SCIM_LOAD_CONCURRENCY in flight, is answered at ${ENTRA_RATE} requests per second or more`,
    },
    async () => {
      const { report, samples } = result();
      await publishLoad({ title: 'Initial sync', table: summaryTable(report, scenario!), scenario: scenario!, report });
      attachSamples(samples.typical);
      applicableOnlyIf(settings!.rate >= ENTRA_RATE, `SCIM_LOAD_RATE is ${settings!.rate} requests per second; Entra's ${ENTRA_RATE} can only be shown with SCIM_LOAD_RATE=${ENTRA_RATE} or more`);
      applicableOnlyIf(
        planned >= MIN_REQUESTS_FOR_RATE,
        `the sync makes about ${planned} requests, too few to measure a sustained rate; use SCIM_LOAD_USERS=${Math.ceil(MIN_REQUESTS_FOR_RATE / 2)} or more`,
      );
      const achieved = report.achievedRate;
      if (report.stopped || achieved < ENTRA_RATE * RATE_TOLERANCE) {
        const p50 = report.overall.p50;
        const ceiling = p50 > 0 ? (report.concurrency * 1000) / p50 : Number.POSITIVE_INFINITY;
        const why =
          report.throttled > 0
            ? `the endpoint answered 429 ${report.throttled} times and held the sync for ${(report.pausedMs / 1000).toFixed(1)} s with Retry-After`
            : ceiling < ENTRA_RATE
              ? `with a median latency of ${Math.round(p50)} ms and ${report.concurrency} requests in flight the endpoint can answer at most ${ceiling.toFixed(1)} requests per second`
              : `the median latency was ${Math.round(p50)} ms`;
        throw new CheckFailure(
          `expected at least ${ENTRA_RATE} requests per second, the endpoint answered ${report.answered} requests in ${(report.windowMs / 1000).toFixed(1)} s: ${achieved.toFixed(1)} per second; ${why}${report.stopped ? `; ${report.stopped}` : ''}`,
          samples.slowest,
        );
      }
    },
  );

  check(
    {
      id: 'LOAD-02',
      severity: 'should',
      requirement: LATENCY,
      title: `Every request of the initial sync is answered (no timeout at SCIM_TIMEOUT_MS, no dropped connection), and 99% of them within ${ENTRA_ANSWER_LIMIT_MS / 1000} s`,
    },
    async () => {
      const { report, samples } = result();
      await publishLoad({ title: 'Latency by request', table: latencyTable(report), scenario: scenario!, report });
      attachSamples([samples.slowest]);
      if (report.noAnswer > 0) {
        const what = report.unexpected.filter((u) => u.what.startsWith('no answer')).map((u) => `${u.count} x ${u.kind}: ${u.what}`);
        throw new CheckFailure(`${report.noAnswer} of ${report.attempts} requests got no answer (${report.timeouts} timed out after ${target.timeoutMs} ms): ${what.slice(0, 3).join('; ')}`, samples.unexpected[0]);
      }
      if (report.overall.p99 >= ENTRA_ANSWER_LIMIT_MS) {
        throw new CheckFailure(`expected 99% of the answers within ${ENTRA_ANSWER_LIMIT_MS / 1000} s, the 99th percentile latency was ${(report.overall.p99 / 1000).toFixed(1)} s`, samples.slowest);
      }
    },
  );

  check(
    { id: 'LOAD-03', severity: 'should', requirement: NO_5XX, title: 'No request of the initial sync is answered with a 5xx status' },
    async () => {
      const { report, samples } = result();
      await publishLoad({ title: 'Answers by status', table: answersTable(report), scenario: scenario!, report });
      const serverErrors = report.answers.filter((a) => /^5\d\d$/.test(a.status));
      if (serverErrors.length > 0) {
        const total = serverErrors.reduce((n, a) => n + a.count, 0);
        const first = samples.unexpected.find((e) => (e.response?.status ?? 0) >= 500) ?? samples.throttled.find((e) => (e.response?.status ?? 0) >= 500);
        attachSamples([first]);
        throw new CheckFailure(`${total} of ${report.attempts} answers were 5xx: ${serverErrors.map((a) => `${a.count} x ${a.status} to ${a.kind}`).join(', ')}`, first);
      }
    },
  );

  check(
    { id: 'LOAD-04', severity: 'should', requirement: IN_ORDER, title: "Under load every step of Entra's initial sync is answered as Entra needs (empty lookups, 201 with an id, 200/204 to member PATCHes), and every group read back holds exactly the members added" },
    async () => {
      const { report, samples, wrongMembers, groupsReadBack } = result();
      const membership = wrongMembers.map((w) => `${w.group}: ${w.problem}`);
      const table = [problemsTable(report), ...(groupsReadBack > 0 ? ['', `groups read back: ${groupsReadBack}, with the wrong members: ${wrongMembers.length}`] : [])].join('\n');
      await publishLoad({ title: 'Answers Entra could not use', table, scenario: scenario!, report });
      const wrong = [...report.unexpected.map((u) => `${u.count} x ${u.kind}: ${u.what}`), ...report.problems.map((p) => `${p.count} x ${p.kind}: ${p.message}`), ...membership];
      attachSamples([...samples.unexpected.slice(0, 3), wrongMembers[0]?.exchange]);
      if (wrong.length > 0) {
        throw new CheckFailure(`${wrong.length} kind(s) of answer Entra could not use: ${wrong.slice(0, 4).join('; ')}${wrong.length > 4 ? '; ...' : ''}`, wrongMembers[0]?.exchange ?? samples.unexpected[0]);
      }
      if (report.notSent > 0) throw new CheckFailure(`${report.notSent} requests were never sent: ${report.stopped ?? 'the time budget ran out'}`);
    },
  );

  check(
    { id: 'LOAD-05', severity: 'info', requirement: THROTTLING, title: 'Every 429 the endpoint answers during the initial sync carries a Retry-After header (reported: how many 429s, and how long the sync was held)' },
    async () => {
      const { report, samples } = result();
      await publishLoad({ title: 'Throttling (429 and Retry-After)', table: throttlingTable(report), scenario: scenario!, report });
      attachSamples(samples.throttled);
      const bare = report.throttling.filter((t) => t.status === 429 && t.retryAfter === undefined);
      if (bare.length > 0) {
        throw new CheckFailure(
          `${bare.length} of ${report.throttled} 429 answers carried no Retry-After header, so a client can only guess how long to wait (the suite backed off 0.5 s, 1 s, 2 s ...)`,
          samples.throttled[0],
        );
      }
    },
  );
});
