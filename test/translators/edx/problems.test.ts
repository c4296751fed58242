import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX problems events', async () => {
  await fixtureTests('problems');
});
