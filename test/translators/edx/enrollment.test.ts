import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX enrollment events', async () => {
  await fixtureTests('enrollment');
});
