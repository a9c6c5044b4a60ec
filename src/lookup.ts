// The answer to a lookup that must find one known resource: a ListResponse with exactly that one.
// With other resources present, an endpoint that ignores the filter returns them too and fails here.
import type { ScimResponse } from './client.ts';
import { expectEqual, expectListResponse, expectThat } from './expect.ts';

/** 200, a schema-valid ListResponse, totalResults 1 and one resource whose id is `id`; answers that resource. */
export function expectOnlyResource(res: ScimResponse, id: string, what: string): Record<string, unknown> {
  const list = expectListResponse(res);
  expectThat(
    list.totalResults === 1 && list.Resources.length === 1,
    `expected exactly one ${what}, got totalResults ${list.totalResults} with ${list.Resources.length} Resources`,
    res,
  );
  const found = list.Resources[0] as Record<string, unknown>;
  expectEqual(found.id, id, `the id of the ${what} found`, res);
  return found;
}
