import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX pages events', async () => {
  await fixtureTests('pages');
});
