import { defineConfig } from 'drizzle-kit';

// Each module's tables live in its own schema file; src/db holds the gateway's secrets and the erasure registry.
export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/db/gateway-secrets.ts',
    './src/db/erased-learners.ts',
    './src/lrs/schema.ts',
    './src/lrs/server/schema.ts',
    './src/catalog/schema.ts',
    './src/ingest/schema.ts',
    './src/ingest/edx/s3/schema.ts',
    './src/ingest/coursera/schema.ts',
    './src/ingest/futurelearn/schema.ts',
    './src/ingest/khan/schema.ts',
    './src/reports/coursera/schema.ts',
  ],
  out: './migrations',
});
