import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX navigation events', async () => {
  await fixtureTests('navigation');
});
