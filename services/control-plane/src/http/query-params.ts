import { isProblem, parseTime } from '@flagpole/read-model';
import { RequestValidationError } from './request-validation.error';

/** An optional ISO-8601 time parameter, normalised to UTC; a bad one is a 400 naming the field. */
export function optionalTime(raw: string | undefined, field: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parsed = parseTime(raw, field);
  if (isProblem(parsed)) throw new RequestValidationError([parsed]);
  return parsed.time;
}

/** The `limit` parameter (already checked to be digits by the DTO). */
export function optionalLimit(raw: string | undefined): number | undefined {
  return raw === undefined || raw === '' ? undefined : Number(raw);
}

/** `true`/`false` query flags; anything else is a 400 naming the field. */
export function optionalBoolean(raw: string | undefined, field: string): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new RequestValidationError([{ field, problem: 'must be true or false' }]);
}

/** A comma-separated list parameter. */
export function optionalList(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
