import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX textbook events', async () => {
  await fixtureTests('textbook');
});
