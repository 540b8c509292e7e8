/** A PostgreSQL unique-constraint violation (SQLSTATE 23505), as TypeORM wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { driverError?: { code?: string } } | undefined)?.driverError?.code === '23505';
}
