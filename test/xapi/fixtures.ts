// Statements for the src/xapi tests: each call returns a fresh copy to mutate.
import type { Statement } from '../../src/xapi/index.js';

/** A statement as tests take it apart: any shape, valid or not. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = Record<string, any>;

/** The smallest valid statement: actor, verb and object (2.2.s2.b3). */
export function minimalStatement(): Loose {
  return {
    actor: { mbox: 'mailto:xapi@adlnet.gov' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/created' },
    object: { id: 'http://example.adlnet.gov/xapi/example/activity' },
  };
}

/** A statement that uses every property of a Statement at least once. */
export function fullStatement(): Loose {
  const statement: Statement = {
    id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
    actor: { objectType: 'Agent', name: 'Learner', mbox: 'mailto:learner@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered', 'fr-FR': 'a répondu' } },
    object: {
      objectType: 'Activity',
      id: 'http://example.com/quiz/1/question/2',
      definition: {
        name: { 'en-US': 'Question 2' },
        description: { 'en-US': 'Which of these are primes?' },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        moreInfo: 'https://example.com/quiz/1/question/2/info',
        interactionType: 'choice',
        correctResponsesPattern: ['two[,]three'],
        choices: [
          { id: 'two', description: { 'en-US': '2' } },
          { id: 'three', description: { 'en-US': '3' } },
          { id: 'four', description: { 'en-US': '4' } },
        ],
        extensions: { 'http://example.com/ext/difficulty': 'easy' },
      },
    },
    result: {
      score: { scaled: 0.5, raw: 5, min: 0, max: 10 },
      success: false,
      completion: true,
      response: 'two',
      duration: 'PT4.5S',
      extensions: { 'http://example.com/ext/attempt': 2, 'http://example.com/ext/nothing': null },
    },
    context: {
      registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
      instructor: { objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: 'teacher-7' } },
      team: {
        objectType: 'Group',
        name: 'Team A',
        openid: 'https://openid.example.com/team-a',
        member: [{ mbox_sha1sum: 'ebd31e95054c018b10727ccffd2ef2ec3a016ee9' }, { mbox: 'mailto:b@example.com' }],
      },
      contextActivities: {
        parent: [{ id: 'http://example.com/quiz/1' }],
        grouping: [{ id: 'http://example.com/course/algebra', definition: { type: 'http://adlnet.gov/expapi/activities/course' } }],
        category: [{ id: 'https://w3id.org/xapi/video' }],
        other: [{ objectType: 'Activity', id: 'http://example.com/textbook' }],
      },
      revision: 'r2',
      platform: 'Example LMS',
      language: 'en-US',
      statement: { objectType: 'StatementRef', id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee' },
      extensions: { 'http://example.com/ext/room': { floor: 2 } },
    },
    timestamp: '2015-11-18T12:17:00.123+00:00',
    stored: '2015-11-18T12:17:01Z',
    authority: {
      objectType: 'Group',
      member: [
        { account: { homePage: 'http://example.com/xAPI/OAuth/Token', name: 'oauth_consumer_x75db' } },
        { mbox: 'mailto:bob@example.com' },
      ],
    },
    version: '1.0.0',
    attachments: [
      {
        usageType: 'http://adlnet.gov/expapi/attachments/signature',
        display: { 'en-US': 'Signature' },
        description: { 'en-US': 'A test signature' },
        contentType: 'application/octet-stream',
        length: 4235,
        sha2: '672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634',
        fileUrl: 'https://example.com/files/signature',
      },
    ],
  };
  return statement;
}

/** A statement with `object` replaced, keeping actor and verb of the minimal one. */
export function withObject(object: unknown): Loose {
  return { ...minimalStatement(), object };
}
