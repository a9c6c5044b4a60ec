// The running profile's requests, by name.
import type { Profile } from '../config.ts';
import type { ClientProfile } from './client-profile.ts';
import { entra2020Profile } from './entra-2020-profile.ts';
import { entraProfile } from './entra-profile.ts';
import { oktaProfile } from './okta-profile.ts';
import { rfcProfile } from './rfc-profile.ts';

export const CLIENT_PROFILES: Readonly<Record<Profile, ClientProfile>> = {
  entra: entraProfile,
  'entra-2020': entra2020Profile,
  okta: oktaProfile,
  rfc: rfcProfile,
};

export type { ClientProfile, GroupRef } from './client-profile.ts';
