/** PostgreSQL refused a statement with this SQLSTATE on this named constraint. */
export function violated(error: unknown, code: string, constraint: string): boolean {
  const cause = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return cause?.code === code && cause.constraint === constraint;
}

/** A unique constraint (or unique index) refused the row. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return violated(error, '23505', constraint);
}
