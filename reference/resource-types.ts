// The two resource types this server serves (RFC 7643 §6) and the schemas they are made of.
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, type SchemaDefinition } from './schemas.ts';

export interface ResourceType {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  description: string;
  schema: SchemaDefinition;
  /** Schema extensions, none required (RFC 7643 §6 schemaExtensions). */
  extensions: SchemaDefinition[];
}

export const USER_TYPE: ResourceType = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA,
  extensions: [ENTERPRISE_USER_SCHEMA],
};

export const GROUP_TYPE: ResourceType = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA,
  extensions: [],
};

export const RESOURCE_TYPES: ResourceType[] = [USER_TYPE, GROUP_TYPE];
