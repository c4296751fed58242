/** OAI-PMH error conditions (section 3.6), answered inside an OAI-PMH document with status 200. */

/** The error codes of the protocol. */
export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

/** A request the repository answers with an `<error>`. */
export class OaiError extends Error {
  override readonly name = 'OaiError';
  constructor(
    readonly code: OaiErrorCode,
    message: string,
  ) {
    super(message);
  }
}
