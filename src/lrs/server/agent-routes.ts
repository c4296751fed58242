/**
 * The Agents Resource (Communication §2.4): the Person object of an Agent. The gateway
 * keeps no directory of people (statements carry pseudonyms), so the Person holds what
 * the requested Agent says, as §2.4.s3.b3 allows, in arrays as the Person object has them.
 */
import express, { type Router } from 'express';
import { CodedError } from '../../errors.js';
import { HttpFault } from '../../http/errors.js';
import type { Agent } from '../../xapi/types.js';
import { checkParamValues, parseAgentJson } from './statement-params.js';

/** The Person object (Data §2.4.2 / Communication §2.4.s4): every property an array. */
export interface Person {
  objectType: 'Person';
  name?: string[];
  mbox?: string[];
  mbox_sha1sum?: string[];
  openid?: string[];
  account?: { homePage: string; name: string }[];
}

/** The Person of one Agent. */
export function personOf(agent: Agent): Person {
  return {
    objectType: 'Person',
    ...(agent.name !== undefined && { name: [agent.name] }),
    ...(agent.mbox !== undefined && { mbox: [agent.mbox] }),
    ...(agent.mbox_sha1sum !== undefined && { mbox_sha1sum: [agent.mbox_sha1sum] }),
    ...(agent.openid !== undefined && { openid: [agent.openid] }),
    ...(agent.account !== undefined && { account: [agent.account] }),
  };
}

/** The route of `/agents`. */
export function agentRoutes(): Router {
  const router = express.Router();
  router.get('/agents', (req, res) => {
    for (const [name, value] of Object.entries(req.query)) {
      if (name !== 'agent') throw new CodedError('invalid', `unknown parameter "${name}" (names are case-sensitive)`);
      if (typeof value !== 'string') throw new CodedError('invalid', 'agent: must be given once');
    }
    const text = req.query.agent;
    if (typeof text !== 'string' || text === '') throw new CodedError('invalid', 'agent is required');
    const agent = parseAgentJson(text);
    // §2.4.s2: "a normal Agent Object with a single identifier ... nor is it a Group".
    if ((agent as { objectType?: string }).objectType === 'Group') throw new CodedError('invalid', 'agent: must be an Agent, not a Group');
    checkParamValues({ agent }, { agent: 'agent' });
    res.json(personOf(agent as Agent));
  });
  router.all('/agents', () => {
    throw new HttpFault('method-not-allowed', 'the Agents resource takes GET and HEAD', { Allow: 'GET, HEAD' });
  });
  return router;
}
