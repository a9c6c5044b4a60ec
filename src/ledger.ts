// Remembers every resource the run creates and deletes what is left at the end of each spec
// file, whatever failed. Fed by the client: any successful POST that answers an id is recorded.
import type { ScimClient } from './client.ts';

interface Created {
  /** Resource path relative to the tenant URL: /Users/<id> */
  path: string;
}

const created = new Map<string, Created>();

export function recordCreated(endpoint: 'Users' | 'Groups', id: string): void {
  created.set(`/${endpoint}/${id}`, { path: `/${endpoint}/${id}` });
}

export function recordDeleted(path: string): void {
  created.delete(path);
}

export function leftovers(): string[] {
  return [...created.keys()];
}

/**
 * Deletes what is left: groups first (so that memberships do not keep users), then users.
 * Returns the paths that could not be deleted, for a warning.
 */
export async function cleanUp(client: ScimClient): Promise<string[]> {
  const paths = leftovers().sort((a, b) => Number(b.startsWith('/Groups')) - Number(a.startsWith('/Groups')));
  const failed: string[] = [];
  for (const path of paths) {
    try {
      const res = await client.delete(path);
      if (res.status < 300 || res.status === 404) created.delete(path);
      else failed.push(`${path} (${res.status})`);
    } catch (error) {
      failed.push(`${path} (${(error as Error).message})`);
    }
  }
  return failed;
}
