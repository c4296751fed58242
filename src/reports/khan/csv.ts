/**
 * The old Khan tool's CSV files (`badge_metadata.csv`, ..., `exer_metadata.csv`), now
 * written from the warehouse tables with a README.txt describing every column.
 */
import { writeReportFiles } from '../table.js';
import { KHAN_TABLES, khanTables, type KhanTableName, type KhanTableReader } from './tables.js';

/** A table's name, or every table. */
export type KhanCsvChoice = KhanTableName | 'all';

/**
 * Writes one table's CSV file (or all eight) and README.txt into `outFolder`; returns the files written.
 * @example await writeKhanCsv((name) => readWarehouseTable(database, name), 'all', './khan-csv');
 */
export async function writeKhanCsv(read: KhanTableReader, table: KhanCsvChoice, outFolder: string): Promise<string[]> {
  const tables = await khanTables(read, table === 'all' ? KHAN_TABLES : [table]);
  return writeReportFiles(outFolder, tables, 'Khan Academy warehouse tables, as the nightly pull keeps them (first_seen and last_seen: when a pull first and last saw each row).');
}
