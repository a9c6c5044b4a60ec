// RFC 7643/7644 as written, beyond what any one client sends: plain percent-encoded filters and
// the PATCH forms of RFC 7644 §3.5.2.
import type { ClientProfile } from './client-profile.ts';
import { rfcMembership, rfcPatchOp } from './entra-2020-profile.ts';
import { createUserBody, lookupPath } from './entra.ts';

export const rfcProfile: ClientProfile = {
  name: 'rfc',
  filterEncoding: 'percent',
  testConnectionPath: (randomUserName) => lookupPath('Users', 'userName', randomUserName, 'percent'),
  createUserBody,
  patchOp: rfcPatchOp,
  updatesUsersBy: 'PATCH',
  deletesUsers: true,
  ...rfcMembership,
};
