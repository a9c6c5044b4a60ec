// Deletes what the load step created, groups first (so that no membership keeps a user), at the
// driver's bounded rate and concurrency. A resource already gone (404) counts as deleted.
import type { LoadDriver } from './driver.ts';

export interface BulkDeleteResult {
  deleted: number;
  /** "/Users/<id> (status 500)", "/Groups/<id> (no answer: ...)". */
  failed: string[];
  ms: number;
}

export async function deleteInBulk(driver: LoadDriver, paths: readonly string[], now: () => number = () => performance.now()): Promise<BulkDeleteResult> {
  const started = now();
  const result: BulkDeleteResult = { deleted: 0, failed: [], ms: 0 };
  const groups = paths.filter((p) => p.startsWith('/Groups/'));
  const others = paths.filter((p) => !p.startsWith('/Groups/'));
  for (const batch of [groups, others]) {
    await driver.forEach(batch, async (path) => {
      const sent = await driver.send(path.startsWith('/Groups/') ? 'delete group' : 'delete user', { method: 'DELETE', path }, [204, 200, 404]);
      if (sent.ok) result.deleted++;
      else result.failed.push(`${path} (${sent.res ? `status ${sent.res.status}` : (sent.error ?? sent.notSent ?? 'not sent')})`);
    });
  }
  result.ms = now() - started;
  return result;
}
