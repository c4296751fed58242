import { describe } from 'vitest';
import { fixtureTests } from './fixtures.js';

describe('edX drag-and-drop events', async () => {
  await fixtureTests('drag-and-drop');
});
