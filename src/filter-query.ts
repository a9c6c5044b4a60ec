// The `filter` query parameter for any filter expression, put on the wire the way clients send it
// (wire-reference.md §0). entra.lookupPath covers `<attribute> eq "<value>"`; this covers the rest:
// value paths (`emails[type eq "work"].value eq ...`), `and`, `sw`, and deliberately broken filters.

/** 'entra': spaces as '+', everything else percent-encoded (%22 for quotes); 'percent': spaces as %20. */
export type QueryEncoding = 'entra' | 'percent';

/** `filter=<expression>`, encoded: filterParam('userName sw "x"') -> 'filter=userName+sw+%22x%22'. */
export function filterParam(expression: string, encoding: QueryEncoding = 'entra'): string {
  const encoded = encodeURIComponent(expression);
  return `filter=${encoding === 'entra' ? encoded.replace(/%20/g, '+') : encoded}`;
}

/** A comparison with the value written as a JSON string (RFC 7644 §3.4.2.2 compValue): eq('userName', 'a"b') -> userName eq "a\"b". */
export function compare(attribute: string, operator: string, value: string): string {
  return `${attribute} ${operator} ${JSON.stringify(value)}`;
}

/** `<attribute> eq "<value>"`. */
export function eq(attribute: string, value: string): string {
  return compare(attribute, 'eq', value);
}
