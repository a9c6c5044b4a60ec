// RFC 7643/7644 as written, beyond what any one client sends: the PATCH forms of RFC 7644 §3.5.2
// (as entra-2020 sends them) with plain percent-encoded filters.
import type { ClientProfile } from './client-profile.ts';
import { entra2020Profile } from './entra-2020-profile.ts';
import { lookupPath } from './entra.ts';

export const rfcProfile: ClientProfile = {
  ...entra2020Profile,
  name: 'rfc',
  filterEncoding: 'percent',
  testConnectionPath: (randomUserName) => lookupPath('Users', 'userName', randomUserName, 'percent'),
};
