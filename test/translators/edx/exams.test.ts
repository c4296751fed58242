import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX exams events', async () => {
  await fixtureTests('exams');
});
