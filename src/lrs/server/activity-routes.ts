/**
 * The Activities Resource (Communication §2.5): GET `/activities?activityId=<IRI>` answers
 * the Activity Object with the canonical definition the LRS holds (activity-definitions.ts),
 * in every language it knows. An Activity without one is still answered, as
 * `{ "objectType": "Activity", "id": ... }` (§2.5.s2.b1).
 */
import { createHash } from 'node:crypto';
import express, { type Router } from 'express';
import type { Database } from '../../db/connection.js';
import { CodedError } from '../../errors.js';
import { HttpFault } from '../../http/errors.js';
import { formatIssues, validateStatement } from '../../xapi/index.js';
import type { Activity } from '../../xapi/types.js';
import { loadDefinitions } from './activity-definitions.js';

/** What the activity routes need. */
export interface ActivityRouteDeps {
  database: Database;
}

/**
 * The routes of `/activities`.
 * @example router.use(activityRoutes({ database }))
 */
export function activityRoutes({ database }: ActivityRouteDeps): Router {
  const router = express.Router();

  router.get('/activities', async (req, res) => {
    const activityId = readActivityId(req.query as Record<string, unknown>);
    const definition = (await loadDefinitions(database, [activityId])).get(activityId);
    const activity: Activity = { objectType: 'Activity', id: activityId };
    if (definition !== undefined && Object.keys(definition).length > 0) activity.definition = definition;
    const body = JSON.stringify(activity);
    // §2.5: the resource has concurrency controls; §3.1.s4.b1, b2: a quoted hex SHA-1 ETag.
    res.set('ETag', `"${createHash('sha1').update(body).digest('hex')}"`);
    res.type('application/json').send(body);
  });

  router.all('/activities', () => {
    throw new HttpFault('method-not-allowed', 'the Activities Resource takes GET and HEAD', { Allow: 'GET, HEAD' });
  });

  return router;
}

/** The required `activityId`, an IRI (§2.5.s1); any other parameter is refused (§3.2.s3.b7). */
function readActivityId(query: Record<string, unknown>): string {
  for (const [name, value] of Object.entries(query)) {
    if (name !== 'activityId') throw new CodedError('invalid', `unknown parameter "${name}" (names are case-sensitive)`);
    if (typeof value !== 'string') throw new CodedError('invalid', 'activityId: must be given once, as a string');
  }
  const activityId = query.activityId;
  if (typeof activityId !== 'string') throw new CodedError('invalid', 'activityId is required');
  // Checked as the id of a statement's Activity object, by the statement validator.
  const probe = { actor: { mbox: 'mailto:probe@example.org' }, verb: { id: 'urn:xapi-gateway:probe' }, object: { id: activityId } };
  const issues = validateStatement(probe).filter((i) => i.path === 'object.id');
  if (issues.length > 0) throw new CodedError('invalid', formatIssues(issues.map((i) => ({ ...i, path: 'activityId' }))));
  return activityId;
}
