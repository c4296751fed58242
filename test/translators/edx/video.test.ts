import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX video events', async () => {
  await fixtureTests('video');
});
