/** Settings of the catalogue's faces: the OAI-PMH provider and the ECO REST API. */
import { setting, type SectionOf } from './setting.js';
import { addressList, boolean, email, httpUrlExact, integer, repositoryId, text, tokenList } from './values.js';

/** The OAI-PMH and ECO API settings. */
export const OAI_SETTINGS = [
  setting({
    key: 'oaiRepositoryId', variable: 'OAI_REPOSITORY_ID', fallback: undefined,
    description: 'the OAI-PMH repository identifier, a domain name (identifiers are oai:<it>:<course id>); unset = localhost.localdomain, and EDX_COURSE_ID_FORM=oai needs it',
    schema: repositoryId.optional(),
  }),
  setting({ key: 'oaiRepositoryName', variable: 'OAI_REPOSITORY_NAME', fallback: 'xapi-gateway course catalogue', description: 'repositoryName of OAI-PMH Identify', schema: text }),
  setting({
    key: 'oaiBaseUrl', variable: 'OAI_BASE_URL', fallback: undefined,
    description: 'the public URL of /oai (behind a proxy, on port 80 or 443 for ECO); unset = taken from each request', schema: httpUrlExact.optional(),
  }),
  setting({ key: 'oaiAdminEmail', variable: 'OAI_ADMIN_EMAIL', fallback: 'oai-admin@localhost.localdomain', description: 'adminEmail of OAI-PMH Identify', schema: email }),
  setting({ key: 'oaiPageSize', variable: 'OAI_PAGE_SIZE', fallback: '100', description: 'records, identifiers or sets per OAI-PMH page', schema: integer(1, 1000) }),
  setting({
    key: 'oaiStrict', variable: 'OAI_STRICT', fallback: 'false',
    description: 'true = OAI-PMH to the letter, for protocol validators: refuse metadataPrefix beside a resumptionToken (badArgument), end a resumed list with an empty token; false = as ECO harvests (when unset, the opposite of the former OAI_ECO_COMPAT if that is set)',
    schema: boolean,
  }),
  setting({
    key: 'ecoApiKeys', variable: 'ECO_API_KEYS', fallback: '', secret: true,
    description: 'API keys of the ECO REST API under /ecoapi, "client:key,..." (keys of at least 16 characters); empty = /ecoapi refuses every request',
    schema: tokenList('client:key'),
  }),
  setting({
    key: 'ecoApiAllowedIps', variable: 'ECO_API_ALLOWED_IPS', fallback: '',
    description: 'client addresses that may call /ecoapi, exact or CIDR, comma-separated (e.g. 192.0.2.7,198.51.100.0/24); empty = any',
    schema: addressList,
  }),
] as const;

/** The OAI-PMH and ECO API settings, read. */
export type OaiConfig = SectionOf<typeof OAI_SETTINGS>;
