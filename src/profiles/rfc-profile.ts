// RFC 7643/7644 as written, beyond what any one client sends: the PATCH forms of RFC 7644 §3.5.2
// (as entra-2020 sends them) with plain percent-encoded filters.
import type { ClientProfile } from './client-profile.ts';
import { entra2020Profile } from './entra-2020-profile.ts';
import { lookupPath, SCHEMA } from './entra.ts';
import { replacePerPath } from './user-update.ts';

export const rfcProfile: ClientProfile = {
  ...entra2020Profile,
  name: 'rfc',
  filterEncoding: 'percent',
  // RFC 7643 §4.2: the core Group schema only (no vendor schema URI).
  createGroupBody: (displayName, externalId) => ({ schemas: [SCHEMA.group], externalId, displayName }),
  // RFC 7644 §3.5.2.3: one lowercase "replace" per attribute path (PUT is proven by PATCH-19/20).
  updateUser: (id, _current, changes) => replacePerPath(id, changes, 'replace'),
  testConnectionPath: (randomUserName) => lookupPath('Users', 'userName', randomUserName, 'percent'),
};
