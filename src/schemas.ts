/**
 * The one place the JSON Schemas in `schemas/` are compiled and run.
 *
 * Every `schemas/*.schema.json` file is added to one Ajv (draft 2020-12) instance when this
 * module loads; a schema is compiled the first time it is used and kept. `validate` answers
 * with one human-readable line per problem, naming the JSON pointer and what is wrong, e.g.
 *   /active must be boolean (got string "False")
 *   /status must be string (got number 404)
 *   must have required property 'totalResults'
 *
 * Which schema for which body:
 * - `user-response` / `group-response`: a full User / Group a server returns (id, meta required;
 *   for users, password forbidden). `user` / `group`: the resource shape in either direction.
 * - `list-response`, `error`: the RFC 7644 messages; validate each `Resources` element separately.
 * - `patch-op`: the PATCH bodies the suite sends.
 * - `service-provider-config`, `resource-type`, `schema`: discovery (RFC 7643 §5, §6, §7).
 * - `mapping`: not a SCIM message; the attribute-mapping file of SCIM_MAPPING (src/mapping.ts).
 *
 * The format "date-time" is checked as xsd:dateTime, which RFC 7643 §2.3.5 prescribes
 * ("MUST be encoded as a valid xsd:dateTime"): a time zone is optional there, unlike RFC 3339.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

export type SchemaName =
  | 'user'
  | 'user-response'
  | 'enterprise-user'
  | 'group'
  | 'group-response'
  | 'list-response'
  | 'error'
  | 'patch-op'
  | 'service-provider-config'
  | 'resource-type'
  | 'schema'
  | 'mapping';

export const SCHEMA_NAMES: readonly SchemaName[] = [
  'user',
  'user-response',
  'enterprise-user',
  'group',
  'group-response',
  'list-response',
  'error',
  'patch-op',
  'service-provider-config',
  'resource-type',
  'schema',
  'mapping',
];

export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

/** At most this many problems are listed; the rest are summed up in one "... and N more" line. */
export const MAX_REPORTED_ERRORS = 10;

const SCHEMA_DIR = new URL('../schemas/', import.meta.url);
const ID_BASE = 'https://scim-conformance.dev/schemas/';
/** Annotation keyword: per-keyword replacement messages for rules whose Ajv wording would not help. */
const MESSAGE_KEYWORD = 'x-scim-error';

const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  allowUnionTypes: true, // RFC 7643 §2.5: optional attributes may be null, hence ["string", "null"]
  verbose: true, // errors carry the data and the schema, which the messages quote
});
// ajv-formats is CommonJS: its function is the module itself and also its `default`.
const addFormats = ajvFormats.default;
addFormats(ajv, ['uri', 'uri-reference']);
ajv.addFormat('date-time', { type: 'string', validate: isXsdDateTime });
ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: 'object' });

for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as AnySchemaObject;
  if (schema.$id !== ID_BASE + file) {
    throw new Error(`schemas/${file}: $id must be "${ID_BASE}${file}" (found ${JSON.stringify(schema.$id)})`);
  }
  ajv.addSchema(schema);
}

const compiled = new Map<SchemaName, ValidateFunction>();

function validatorFor(name: SchemaName): ValidateFunction {
  const cached = compiled.get(name);
  if (cached) return cached;
  const fn = ajv.getSchema(`${ID_BASE}${name}.schema.json`);
  if (!fn) {
    throw new Error(`unknown schema "${String(name)}": no schemas/${String(name)}.schema.json (known: ${SCHEMA_NAMES.join(', ')})`);
  }
  compiled.set(name, fn);
  return fn;
}

/** Validates `value` against the named schema; on failure, one line per problem (at most 10, then "... and N more"). */
export function validate(name: SchemaName, value: unknown): ValidationResult {
  const fn = validatorFor(name);
  if (fn(value)) return { valid: true };
  const lines: string[] = [];
  for (const error of relevantErrors(fn.errors ?? [])) {
    const line = formatError(error);
    if (!lines.includes(line)) lines.push(line);
  }
  if (lines.length === 0) lines.push(`does not match the ${name} schema`);
  if (lines.length > MAX_REPORTED_ERRORS) {
    const more = lines.length - MAX_REPORTED_ERRORS;
    return { valid: false, errors: [...lines.slice(0, MAX_REPORTED_ERRORS), `... and ${more} more`] };
  }
  return { valid: false, errors: lines };
}

/**
 * Drops the errors that only echo another one: the "must match then schema" summary of if/then,
 * and the per-item failures under a failed `contains` (the `contains` error itself says it).
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'if' && !/(?<!\/properties)\/contains\//.test(e.schemaPath));
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath;
  const custom = customMessage(e);
  const what = custom ?? defaultMessage(e);
  return oneLine(where ? `${where} ${what}` : what);
}

function customMessage(e: ErrorObject): string | undefined {
  const messages: unknown = e.parentSchema?.[MESSAGE_KEYWORD];
  if (typeof messages !== 'object' || messages === null) return undefined;
  const message: unknown = (messages as Record<string, unknown>)[e.keyword];
  if (typeof message !== 'string') return undefined;
  return message.replace('{got}', describe(e.data));
}

function defaultMessage(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `must be ${typeList(e.schema)} (got ${describe(e.data)})`;
    case 'required':
      return `must have required property '${String(p.missingProperty)}'`;
    case 'format':
      return `must match format "${String(p.format)}" (got ${preview(e.data)})`;
    case 'const':
      return `must be ${preview(p.allowedValue)} (got ${preview(e.data)})`;
    case 'enum': {
      // null in an enum only mirrors a nullable type (RFC 7643 §2.5); it is left out of the wording.
      const allowed = (Array.isArray(e.schema) ? e.schema : []).filter((v: unknown) => v !== null);
      return `must be one of ${allowed.map(preview).join(', ')} (got ${preview(e.data)})`;
    }
    case 'pattern':
      return `must match pattern "${String(p.pattern)}" (got ${preview(e.data)})`;
    case 'contains': {
      const sub: unknown = e.parentSchema?.contains;
      if (isObject(sub) && 'const' in sub) return `must contain ${preview(sub.const)} (got ${preview(e.data)})`;
      return String(e.message);
    }
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} items (got ${describe(e.data)})`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items (got ${describe(e.data)})`;
    case 'minProperties':
      return `must have at least ${String(p.limit)} properties`;
    case 'uniqueItems':
      return `must not contain duplicates (items ${String(p.j)} and ${String(p.i)} are identical)`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)} (got ${preview(e.data)})`;
    case 'not':
    case 'false schema':
      return 'is not allowed here';
    default:
      return String(e.message);
  }
}

/** "boolean", "string or number"; null is left out of the wording (RFC 7643 §2.5 treats it as unassigned). */
function typeList(schemaType: unknown): string {
  const types = (Array.isArray(schemaType) ? schemaType : [schemaType]).map(String);
  const named = types.length > 1 ? types.filter((t) => t !== 'null') : types;
  return named.join(' or ');
}

/** `string "False"`, `number 404`, `null`, `array of 2 items`, `object`. */
function describe(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return `array of ${data.length} item${data.length === 1 ? '' : 's'}`;
  if (typeof data === 'object') return 'object';
  if (data === undefined) return 'nothing';
  return `${typeof data} ${preview(data)}`;
}

/** A short JSON rendering of a value, cut to keep the message on one readable line. */
function preview(data: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(data) ?? String(data);
  } catch {
    text = String(data);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// xsd:dateTime lexical space (XML Schema 1.1 Part 2 §3.3.7): a date and a time, an optional
// fractional second and an optional time zone (Z or +hh:mm / -hh:mm up to 14:00).
const XSD_DATE_TIME =
  /^(-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$/;

/** RFC 7643 §2.3.5: "MUST be encoded as a valid xsd:dateTime ... and MUST include both a date and a time." */
function isXsdDateTime(value: string): boolean {
  const match = XSD_DATE_TIME.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}
