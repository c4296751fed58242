/**
 * The canonical definition of each Activity (Data §2.4.4.1.s4, Communication §2.5) in
 * `lrs_activities`. Every stored statement that carries a definition updates it, as the
 * LRS trusts every credential that may write (§2.4.4.1.s4.b3): language maps (`name`,
 * `description`) are merged language by language, every other property is replaced by
 * the newest. A batch folds its definitions in order first, so that it writes one row per
 * Activity in one SQL statement, and rows whose definition does not change are not
 * written at all.
 */
import type { SqlSession } from '../../db/connection.js';
import type { Activity, ActivityDefinition, Context, Statement, StatementObject } from '../../xapi/types.js';
import { contextActivityList, isActivity } from './statement-links.js';

/** Definitions to store: parallel arrays of Activity ids and definitions as JSON text. */
export interface DefinitionRows {
  ids: string[];
  definitions: string[];
}

const LANGUAGE_MAPS = ['name', 'description'] as const;
const CONTEXT_KINDS = ['parent', 'grouping', 'category', 'other'] as const;

/**
 * `newer` applied over `older`: language maps merged by language, the rest replaced.
 * @example mergeDefinitions({ name: { en: 'A' }, type: 'x:1' }, { name: { de: 'B' }, type: 'x:2' }) // { name: { en: 'A', de: 'B' }, type: 'x:2' }
 */
export function mergeDefinitions(older: ActivityDefinition, newer: ActivityDefinition): ActivityDefinition {
  const merged: ActivityDefinition = { ...older, ...newer };
  for (const key of LANGUAGE_MAPS) {
    if (older[key] !== undefined && newer[key] !== undefined) merged[key] = { ...older[key], ...newer[key] };
  }
  return merged;
}

/** Every Activity a statement names: object, context activities, and those of its SubStatement. */
export function* activitiesOf(statement: Statement): Generator<Activity> {
  yield* activitiesIn(statement.object, statement.context);
  if (statement.object.objectType === 'SubStatement') yield* activitiesIn(statement.object.object, statement.object.context);
}

function* activitiesIn(object: StatementObject, context: Context | undefined): Generator<Activity> {
  if (isActivity(object)) yield object;
  for (const kind of CONTEXT_KINDS) yield* contextActivityList(context, kind);
}

/**
 * The definitions `statements` carry, folded in order into one per Activity, sorted by
 * id: concurrent batches then lock the rows they share in one order and cannot deadlock.
 */
export function collectDefinitions(statements: Iterable<Statement>): DefinitionRows {
  const byId = new Map<string, ActivityDefinition>();
  for (const statement of statements) {
    for (const activity of activitiesOf(statement)) {
      if (activity.definition === undefined) continue;
      const known = byId.get(activity.id);
      byId.set(activity.id, known === undefined ? activity.definition : mergeDefinitions(known, activity.definition));
    }
  }
  const ids = [...byId.keys()].sort();
  return { ids, definitions: ids.map((id) => JSON.stringify(byId.get(id))) };
}

// mergeDefinitions in SQL, `a` being the stored row and EXCLUDED the incoming one.
const MERGED = [
  'a.definition || EXCLUDED.definition',
  ...LANGUAGE_MAPS.map(
    (key) => `CASE WHEN jsonb_typeof(a.definition->'${key}') = 'object' AND jsonb_typeof(EXCLUDED.definition->'${key}') = 'object'
      THEN jsonb_build_object('${key}', (a.definition->'${key}') || (EXCLUDED.definition->'${key}')) ELSE '{}'::jsonb END`,
  ),
].join('\n    || ');

/**
 * The SQL that merges definitions into `lrs_activities`, for use alone or as a CTE: `ids`
 * and `definitions` name text[] parameters, `at` a timestamptz one, and `where` an
 * optional condition on whether to write at all.
 */
export function mergeDefinitionsSql(p: { ids: string; definitions: string; at: string; where?: string }): string {
  return `INSERT INTO lrs_activities AS a (activity_id, definition, updated)
  SELECT d.activity_id, d.definition::jsonb, ${p.at}::timestamptz
    FROM unnest(${p.ids}::text[], ${p.definitions}::text[]) AS d(activity_id, definition)
   ${p.where === undefined ? '' : `WHERE ${p.where}`}
  ON CONFLICT (activity_id) DO UPDATE SET definition = ${MERGED}, updated = EXCLUDED.updated
   WHERE a.definition IS DISTINCT FROM ${MERGED}`;
}

/** Merges `rows` into the canonical definitions, in one SQL statement. */
export async function storeDefinitions(session: SqlSession, rows: DefinitionRows, at: string): Promise<void> {
  if (rows.ids.length === 0) return;
  await session.query(mergeDefinitionsSql({ ids: '$1', definitions: '$2', at: '$3' }), [rows.ids, rows.definitions, at]);
}

/** The canonical definitions of the Activities among `ids` that the LRS has one for. */
export async function loadDefinitions(session: SqlSession, ids: readonly string[]): Promise<Map<string, ActivityDefinition>> {
  if (ids.length === 0) return new Map();
  const { rows } = await session.query<{ id: string; definition: ActivityDefinition }>(
    `SELECT activity_id AS id, definition FROM lrs_activities WHERE activity_id = ANY($1::text[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r.definition]));
}
