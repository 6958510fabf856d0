import { badRequest } from './errors.ts';

/**
 * Typed reads of one call's parameters, whatever the wire format: form and query values are
 * strings (objects as JSON text), JSON bodies carry real numbers and objects. A bad value fails
 * with a 400 that names the parameter.
 */
export class Params {
  constructor(private readonly values: Record<string, unknown>) {}

  optionalString(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object') throw badRequest(`parameter "${name}" must be a string`);
    return String(value);
  }

  /** A required string; `missing` is the 400's wording when it is absent or empty. */
  string(name: string, missing = `${name} is empty`): string {
    const value = this.optionalString(name);
    if (value === undefined || value === '') throw badRequest(missing);
    return value;
  }

  optionalInteger(name: string): number | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(number)) {
      throw badRequest(`parameter "${name}" must be an integer, got ${JSON.stringify(value)}`);
    }
    return number;
  }

  integer(name: string): number {
    const value = this.optionalInteger(name);
    if (value === undefined) throw badRequest(`${name} is empty`);
    return value;
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  /** An object parameter, given as JSON text (forms) or as a value (JSON bodies). */
  optionalJson(name: string, what = `${name} JSON object`): unknown {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(`can't parse ${what}`);
    }
  }
}
