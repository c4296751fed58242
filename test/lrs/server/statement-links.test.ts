import { describe, expect, it } from 'vitest';
import { activityLinks, agentIfi, agentLinks } from '../../../src/lrs/server/statement-links.js';
import { timestampMillis } from '../../../src/lrs/server/instant.js';
import type { Statement } from '../../../src/xapi/types.js';

describe('agent IFIs and statement links', () => {
  it('writes each kind of inverse functional identifier in one canonical form', () => {
    expect(agentIfi({ mbox: 'MAILTO:Ann@Example.ORG' })).toBe('mbox:mailto:Ann@example.org');
    expect(agentIfi({ mbox_sha1sum: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })).toBe('mbox_sha1sum:abcdef0123456789abcdef0123456789abcdef01');
    expect(agentIfi({ openid: 'https://id.example.org/ann' })).toBe('openid:https://id.example.org/ann');
    expect(agentIfi({ account: { homePage: 'https://x.org', name: 'u|1' } })).toBe('account:https://x.org|u|1');
    expect(agentIfi({ objectType: 'Group', member: [{ mbox: 'mailto:a@x.org' }] })).toBeUndefined();
  });

  it('links every agent and activity of a statement and its SubStatement by role', () => {
    const statement: Statement = {
      actor: { objectType: 'Group', account: { homePage: 'https://x.org', name: 'team' }, member: [{ mbox: 'mailto:a@x.org' }] },
      verb: { id: 'http://adlnet.gov/expapi/verbs/planned' },
      object: {
        objectType: 'SubStatement',
        actor: { mbox: 'mailto:b@x.org' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
        object: { id: 'https://x.org/session' },
        context: { instructor: { mbox: 'mailto:t@x.org' }, contextActivities: { grouping: [{ id: 'https://x.org/course' }] } },
      },
      context: { contextActivities: { category: [{ id: 'https://x.org/profile' }, { id: 'https://x.org/profile' }] } },
      authority: { account: { homePage: 'urn:xapi-gateway', name: 'flusher' } },
    };
    expect(agentLinks(statement)).toEqual([
      { ifi: 'account:https://x.org|team', role: 'actor' },
      { ifi: 'mbox:mailto:a@x.org', role: 'actor_member' },
      { ifi: 'account:urn:xapi-gateway|flusher', role: 'authority' },
      { ifi: 'mbox:mailto:b@x.org', role: 'sub_actor' },
      { ifi: 'mbox:mailto:t@x.org', role: 'sub_instructor' },
    ]);
    expect(activityLinks(statement)).toEqual([
      { activityId: 'https://x.org/profile', role: 'category' },
      { activityId: 'https://x.org/session', role: 'sub_object' },
      { activityId: 'https://x.org/course', role: 'sub_grouping' },
    ]);
  });

  it('reads timestamps in any zone and precision as instants, and refuses what is not one', () => {
    expect(timestampMillis('2024-05-01T12:00:00.5+02:00')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 500));
    expect(timestampMillis('2024-05-01T10:00:00.123999Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
    expect(timestampMillis('2024-05-01T05:30:00-0430')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0));
    for (const bad of ['2024-02-30T00:00:00Z', '2024-05-01T10:00:00', '2024-05-01', '2024-05-01T10:00:00-00:00', 'now']) {
      expect(timestampMillis(bad)).toBeNaN();
    }
  });
});
