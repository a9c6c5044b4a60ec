// The PATCH operations Microsoft Entra ID sends to update a user (wire-reference.md §4), one
// builder per form, each returning one operation object. Wrap them with `patchOp(...ops)` from
// ./entra.ts. Entra's default (no aadOptscim062020 flag) capitalises the op ("Replace", "Add"),
// sends one op per path, and adds to filtered paths that may not exist yet.
import { SCHEMA } from './entra.ts';

export interface PatchOperation extends Record<string, unknown> {
  op: string;
  path?: string;
  value?: unknown;
}

/** Any operation, spelled exactly as given (e.g. an op name no server should accept). */
export function operation(op: string, path: string | undefined, value: unknown): PatchOperation {
  return { op, ...(path !== undefined && { path }), value };
}

/** `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:<attribute>` */
export const enterprisePath = (attribute: string): string => `${SCHEMA.enterprise}:${attribute}`;

/** `{"op":"Replace","path":"emails[type eq \"work\"].value","value":...}`: Entra's mapping of `mail`. */
export function replaceWorkEmail(value: string): PatchOperation {
  return operation('Replace', 'emails[type eq "work"].value', value);
}

/** The same, with the sub-attribute capitalised as Entra's default mapping spells it (`.Value`). */
export function replaceWorkEmailCapitalised(value: string): PatchOperation {
  return operation('Replace', 'emails[type eq "work"].Value', value);
}

/** `{"op":"Replace","path":"name.familyName",...}`: Entra's mapping of `surname`. */
export function replaceFamilyName(value: string): PatchOperation {
  return operation('Replace', 'name.familyName', value);
}

/** `{"op":"Replace","path":"name.givenName",...}`: Entra's mapping of `givenName`. */
export function replaceGivenName(value: string): PatchOperation {
  return operation('Replace', 'name.givenName', value);
}

/** `{"op":"Replace","path":"userName",...}`: the userPrincipalName changed in the directory. */
export function replaceUserName(value: string): PatchOperation {
  return operation('Replace', 'userName', value);
}

/** `{"op":"Add","path":"nickName",...}` */
export function addNickName(value: string): PatchOperation {
  return operation('Add', 'nickName', value);
}

export type AddressPart = 'formatted' | 'streetAddress' | 'locality' | 'region' | 'postalCode' | 'country';

/**
 * `{"op":"Add","path":"addresses[type eq \"work\"].<part>",...}`: Entra adds to the work address
 * whether or not the user has one; the server creates the element ({"type":"work"}) when absent.
 */
export function addWorkAddressPart(part: AddressPart, value: string): PatchOperation {
  return operation('Add', `addresses[type eq "work"].${part}`, value);
}

/** `{"op":"Add","path":"addresses[type eq \"work\"].formatted",...}` sent to a user who has no work address. */
export function addAbsentWorkAddressFormatted(value: string): PatchOperation {
  return addWorkAddressPart('formatted', value);
}

/** `{"op":"Replace","path":"urn:...:enterprise:2.0:User:employeeNumber",...}`: Entra's mapping of `employeeId`. */
export function replaceEmployeeNumber(value: string): PatchOperation {
  return operation('Replace', enterprisePath('employeeNumber'), value);
}

/** `{"op":"Add","path":"urn:...:enterprise:2.0:User:department",...}` */
export function addDepartment(value: string): PatchOperation {
  return operation('Add', enterprisePath('department'), value);
}

/** `{"op":"Add","path":"urn:...:enterprise:2.0:User:manager","value":"<id>"}`: the manager's id as a bare string. */
export function managerAsBareString(managerId: string): PatchOperation {
  return operation('Add', enterprisePath('manager'), managerId);
}
