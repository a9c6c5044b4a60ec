// SCIM filters (RFC 7644 §3.4.2.2): parsed by scim2-parse-filter, evaluated here, because the
// library's evaluator knows no schema and so cannot apply caseExact (RFC 7643 §2.2, §7).
import type { Filter } from 'scim2-parse-filter';
import { Tokens, parseFilter as parseTokens, tokenizer, type Token } from 'scim2-parse-filter/lib/src/parser.js';
import { containerOf, findAttribute, resolveAttributePath } from './attribute-paths.ts';
import { badRequest, type ScimType } from './errors.ts';
import { isObject, isUnassigned, type JsonObject } from './json.ts';
import type { ResourceType } from './resource-types.ts';
import type { AttributeDefinition } from './schemas.ts';

export type { Filter };
export type Predicate = (node: JsonObject) => boolean;

/**
 * Parses a filter. Malformed input throws 400 with `errorType` (invalidFilter for the `filter`
 * parameter; a PATCH path reports invalidPath instead).
 */
export function parseFilter(text: string, errorType: ScimType = 'invalidFilter'): Filter {
  try {
    const tokens = new Tokens(foldSubAttributeIntoValuePath(lowercaseLiterals(tokenizer(text))));
    const ast = parseTokens(tokens);
    if (tokens.peek().type !== 'EOT') throw new Error(`unexpected "${tokens.peek().literal}"`);
    return ast;
  } catch (error) {
    throw badRequest(errorType, `Cannot parse filter ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
}

const COMPARISON_OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const token = (type: Token['type'], literal: string): Token => ({ type, literal });

/** ABNF literals are case-insensitive (RFC 5234 §2.3): `active eq False` is `active eq false`; the library reads JSON only. */
function lowercaseLiterals(tokens: Token[]): Token[] {
  return tokens.map((t, i) => {
    const previous = tokens[i - 1];
    const isCompValue = previous?.type === 'Word' && COMPARISON_OPERATORS.has(previous.literal.toLowerCase());
    return isCompValue && t.type === 'Word' && /^(true|false|null)$/i.test(t.literal) ? token('Word', t.literal.toLowerCase()) : t;
  });
}

/**
 * Rewrites `emails[type eq "work"].value eq "x"` into `emails[(type eq "work") and value eq "x"]`.
 * The library would parse it as `emails[type eq "work"] and emails.value eq "x"`, which also
 * matches a user whose work address is another one; Entra's matching query means one element.
 */
function foldSubAttributeIntoValuePath(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let openedAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'Bracket' && t.literal === '[') openedAt = out.length + 1;
    const sub = tokens[i + 1];
    const op = tokens[i + 2];
    const opName = op?.literal.toLowerCase() ?? '';
    if (t.type === 'Bracket' && t.literal === '].' && openedAt >= 0 && sub?.type === 'Word' && op?.type === 'Word') {
      const comparison = opName === 'pr' ? [sub, op] : COMPARISON_OPERATORS.has(opName) && tokens[i + 3] ? [sub, op, tokens[i + 3]!] : undefined;
      if (comparison) {
        out.splice(openedAt, 0, token('Bracket', '('));
        out.push(token('Bracket', ')'), token('Word', 'and'), ...comparison, token('Bracket', ']'));
        i += comparison.length;
        openedAt = -1;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

/** What a filter can ask about one attribute path. */
export interface FilterTarget {
  /** The definition that decides how values compare; undefined for a complex attribute without a `value`. */
  definition: AttributeDefinition | undefined;
  values(node: JsonObject): unknown[];
  present(node: JsonObject): boolean;
}

/** Resolves the attribute paths of a filter: against a resource type, or inside one complex value. */
export interface FilterScope {
  attribute(path: string): FilterTarget | undefined;
  complex(path: string): { elements(node: JsonObject): JsonObject[]; scope: FilterScope } | undefined;
}

const defined = (values: unknown[]) => values.filter((v) => v !== undefined && v !== null);

/** Reads the leaf values of `attribute` (or of its `subAttribute`) from a list of raw items. */
function targetOver(attribute: AttributeDefinition, subAttribute: AttributeDefinition | undefined, items: (node: JsonObject) => unknown[]): FilterTarget {
  // RFC 7644 §3.4.2.2: a complex attribute compared without a sub-attribute means its `value` (`emails co "x"`).
  const leaf = subAttribute ?? (attribute.type === 'complex' ? findAttribute(attribute.subAttributes, 'value') : undefined);
  const read = (node: JsonObject) => (leaf && leaf !== attribute ? items(node).map((i) => (isObject(i) ? i[leaf.name] : undefined)) : items(node));
  return {
    definition: leaf ?? (attribute.type === 'complex' ? undefined : attribute),
    values: (node) => defined(read(node)),
    present: (node) => (subAttribute ? read(node) : items(node)).some((v) => !isUnassigned(v)),
  };
}

/** Filter scope of a resource type. `adjust` can alter a definition (used by a fault switch). */
export function resourceScope(type: ResourceType, adjust: (d: AttributeDefinition) => AttributeDefinition = (d) => d): FilterScope {
  return {
    attribute(path) {
      const resolved = resolveAttributePath(type, path);
      if (!resolved) return undefined;
      const { attribute } = resolved;
      const items = (node: JsonObject) => {
        const raw = containerOf(node, resolved, false)?.[attribute.name];
        if (attribute.multiValued) return Array.isArray(raw) ? raw : [];
        return raw === undefined ? [] : [raw];
      };
      const target = targetOver(attribute, resolved.subAttribute, items);
      return { ...target, definition: target.definition && adjust(target.definition) };
    },
    complex(path) {
      const resolved = resolveAttributePath(type, path);
      if (!resolved || resolved.subAttribute || resolved.attribute.type !== 'complex') return undefined;
      const { attribute } = resolved;
      return {
        elements(node) {
          const raw = containerOf(node, resolved, false)?.[attribute.name];
          return (attribute.multiValued ? (Array.isArray(raw) ? raw : []) : [raw]).filter(isObject);
        },
        scope: elementScope(attribute),
      };
    },
  };
}

/** Filter scope inside one value of a complex attribute (`emails[type eq "work"]`). */
export function elementScope(parent: AttributeDefinition): FilterScope {
  return {
    attribute(name) {
      const sub = findAttribute(parent.subAttributes, name);
      return sub ? targetOver(sub, undefined, (node) => (node[sub.name] === undefined ? [] : [node[sub.name]])) : undefined;
    },
    complex: () => undefined,
  };
}

/** Compiles a parsed filter into a predicate; unknown attributes and unsupported comparisons are 400 `errorType`. */
export function compileFilter(ast: Filter, scope: FilterScope, errorType: ScimType = 'invalidFilter'): Predicate {
  const fail = (detail: string) => badRequest(errorType, detail);
  const target = (path: string) => {
    const t = scope.attribute(path);
    if (!t) throw fail(`Unknown attribute "${path}" in filter`);
    return t;
  };
  switch (ast.op) {
    case 'and':
    case 'or': {
      const parts = ast.filters.map((f) => compileFilter(f, scope, errorType));
      return ast.op === 'and' ? (n) => parts.every((p) => p(n)) : (n) => parts.some((p) => p(n));
    }
    case 'not': {
      const inner = compileFilter(ast.filter, scope, errorType);
      return (n) => !inner(n);
    }
    case '[]': {
      const complex = scope.complex(ast.attrPath);
      if (!complex) throw fail(`"${ast.attrPath}" is not a complex attribute and cannot take a value filter`);
      const inner = compileFilter(ast.valFilter, complex.scope, errorType);
      return (n) => complex.elements(n).some(inner);
    }
    case 'pr': {
      const t = target(ast.attrPath);
      return (n) => t.present(n);
    }
    default: {
      const t = target(ast.attrPath);
      if (!t.definition) throw fail(`"${ast.attrPath}" is complex: compare one of its sub-attributes`);
      // `eq null` asks for an unassigned attribute (RFC 7643 §2.5), `ne null` for an assigned one.
      if (ast.compValue === null && (ast.op === 'eq' || ast.op === 'ne')) {
        return ast.op === 'eq' ? (n) => !t.present(n) : (n) => t.present(n);
      }
      if (ast.op === 'ne') {
        const equals = comparator('eq', t.definition, ast.compValue, ast.attrPath, fail);
        return (n) => !t.values(n).some(equals);
      }
      const test = comparator(ast.op, t.definition, ast.compValue, ast.attrPath, fail);
      return (n) => t.values(n).some(test);
    }
  }
}

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
const ORDERING = new Set(['gt', 'ge', 'lt', 'le']);

function ordered<T>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    case 'le': return a <= b;
    default: return a === b;
  }
}

/** One comparison, typed by the attribute definition (RFC 7644 §3.4.2.2 operator table). */
function comparator(op: CompareOp, definition: AttributeDefinition, expected: unknown, path: string, fail: (d: string) => Error): (actual: unknown) => boolean {
  switch (definition.type) {
    case 'boolean':
      // "Boolean and Binary attributes SHALL cause a failed response" for gt/ge/lt/le; co/sw/ew make no sense either.
      if (op !== 'eq' || typeof expected !== 'boolean') throw fail(`"${path}" is boolean: compare it with eq/ne and true or false`);
      return (actual) => actual === expected;
    case 'integer':
    case 'decimal':
      if (typeof expected !== 'number' || !(op === 'eq' || ORDERING.has(op))) throw fail(`"${path}" is a number: compare it with a number using eq, ne, gt, ge, lt or le`);
      return (actual) => typeof actual === 'number' && ordered(op, actual, expected);
    case 'dateTime':
      if (op === 'eq' || ORDERING.has(op)) {
        const when = typeof expected === 'string' ? Date.parse(expected) : NaN;
        if (Number.isNaN(when)) throw fail(`"${path}" is a dateTime: compare it with a date string`);
        return (actual) => typeof actual === 'string' && ordered(op, Date.parse(actual), when);
      }
      break;
    case 'complex':
      throw fail(`"${path}" is complex: compare one of its sub-attributes`);
    default:
      if (definition.type === 'binary' && ORDERING.has(op)) throw fail(`"${path}" is binary: ${op} is not supported`);
  }
  if (typeof expected === 'boolean') throw fail(`"${path}" is not boolean: compare it with a string`);
  // A bare number compares as its text (legacy Entra: `id eq 5`).
  const fold = definition.caseExact ? (s: string) => s : (s: string) => s.toLowerCase();
  const wanted = fold(String(expected));
  return (actual) => {
    if (typeof actual !== 'string') return false;
    const value = fold(actual);
    switch (op) {
      case 'co': return value.includes(wanted);
      case 'sw': return value.startsWith(wanted);
      case 'ew': return value.endsWith(wanted);
      default: return ordered(op, value, wanted);
    }
  };
}

/** Parse and compile in one step. */
export function filterPredicate(text: string, scope: FilterScope): Predicate {
  return compileFilter(parseFilter(text), scope);
}

/** The operators a filter uses (eq, sw, pr, or, not, [] ...), for faults that support only some. */
export function operatorsOf(ast: Filter): Set<string> {
  const found = new Set<string>([ast.op]);
  if (ast.op === 'and' || ast.op === 'or') for (const f of ast.filters) for (const op of operatorsOf(f)) found.add(op);
  if (ast.op === 'not') for (const op of operatorsOf(ast.filter)) found.add(op);
  if (ast.op === '[]') for (const op of operatorsOf(ast.valFilter)) found.add(op);
  return found;
}
