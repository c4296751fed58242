import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX grades events', async () => {
  await fixtureTests('grades');
});
