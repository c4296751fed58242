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
export {
  INSTANT_RANGE_MESSAGE,
  MAX_DEPTH,
  escapeUnstorable,
  isStorableInstant,
  replaceUnstorable,
  replaceUnstorableIn,
  storableIssues,
  unstorableText,
} from './storable.js';
export { PLATFORM_NAMESPACES, accountActor, pseudonym, statementId, type Platform } from './ids.js';
export {
  ACTIVITY_TYPE,
  EXT,
  GATEWAY_EXTENSION_BASE,
  PROFILE,
  VERB,
  type ActivityType,
} from './vocabulary.js';
