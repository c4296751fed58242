import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX ora events', async () => {
  await fixtureTests('ora');
});
