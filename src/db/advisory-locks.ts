/**
 * Every PostgreSQL advisory lock key of the service, in one table, so that two jobs never
 * share one by accident; each keeps its work to one instance at a time. Kept apart from
 * the jobs themselves so that the scheduler can name a job's lock without loading it.
 */
export const ADVISORY_LOCKS = {
  /** Migrations ("xgw-mig" in ASCII). */
  migrations: 0x7867772d6d6967 % 2 ** 31,
  courseraPull: 7_241_001,
  futurelearnPull: 7_241_002,
  khanPull: 7_241_003,
  edxS3Sync: 7_241_004,
  /** A day's Coursera indicator snapshot. */
  courseraSnapshot: 0x43524353,
  /** Two instances running the weekly choice's one INSERT … NOT EXISTS at once could both insert. */
  courseraWeeklyChoice: 0x43524357,
} as const;
