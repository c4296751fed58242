// The public surface of src/xapi: statement types, validation, ids and vocabulary.
export type * from './types.js';
export {
  formatIssues,
  isValidStatement,
  validateStatement,
  validateStatements,
  type BatchIssues,
  type StatementIssue,
} from './validate.js';
export { PLATFORM_NAMESPACES, accountActor, pseudonym, statementId, type Platform } from './ids.js';
export {
  ACTIVITY_TYPE,
  EXT,
  GATEWAY_EXTENSION_BASE,
  PROFILE,
  VERB,
  type ActivityType,
} from './vocabulary.js';
