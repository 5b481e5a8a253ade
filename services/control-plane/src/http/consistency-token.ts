import { RequestValidationError } from './request-validation.error';

const TOKEN = /^\s*(\d{1,15})\s*$/;

/**
 * The consistency token of a query: the `consistencyToken` query parameter or the
 * `X-Consistency-Token` header (the value a mutation returned: its event's global sequence).
 * Undefined when neither is given; a malformed or contradictory one is a 400 naming the field.
 */
export function consistencyTokenOf(query: unknown, header: string | readonly string[] | undefined): number | undefined {
  const fromQuery = parse((query as Record<string, unknown> | undefined)?.consistencyToken, 'consistencyToken');
  const fromHeader = parse(Array.isArray(header) ? header[0] : header, 'X-Consistency-Token');
  if (fromQuery !== undefined && fromHeader !== undefined && fromQuery !== fromHeader) {
    throw new RequestValidationError([{ field: 'consistencyToken', problem: `disagrees with the X-Consistency-Token header (${fromHeader})` }]);
  }
  return fromQuery ?? fromHeader;
}

function parse(raw: unknown, field: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const match = typeof raw === 'string' ? TOKEN.exec(raw) : null;
  if (!match) throw new RequestValidationError([{ field, problem: 'must be the consistency token a mutation returned (a non-negative integer)' }]);
  return Number(match[1]);
}
