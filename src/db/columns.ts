/**
 * Column types the modules' schema files share, for PostgreSQL 15 and PGlite alike.
 * `npm run db:generate` turns changes of any schema file into a new SQL migration.
 */
import { customType, timestamp } from 'drizzle-orm/pg-core';

/** A `timestamptz` column read as a Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Binary content (attachments, documents, images). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});
