import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX poll and survey events', async () => {
  await fixtureTests('polls');
});
