import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX bookmarks events', async () => {
  await fixtureTests('bookmarks');
});
