import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX forum events', async () => {
  await fixtureTests('forum');
});
