/**
 * `/oai`: the OAI-PMH 2.0 provider (protocol §3.1.1), over GET with a query or POST with
 * a form. Always 200 with XML: protocol errors (badVerb, noRecordsMatch...) are part of
 * the document, as harvesters expect.
 */
import type { Param, PathTable } from './kit.js';

const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'];

/** The arguments of the six verbs (§3.1.1); each may be given once. */
const ARGUMENTS: Param[] = [
  { name: 'verb', required: true, description: 'the request', schema: { type: 'string', enum: VERBS }, example: 'ListRecords' },
  { name: 'identifier', description: 'GetRecord, ListMetadataFormats: oai:<OAI_REPOSITORY_ID>:<course id>', example: 'oai:eco.example.org:cs101-2026' },
  { name: 'metadataPrefix', description: 'oai_dc, or oai_lom (what ECO harvests)', schema: { type: 'string', enum: ['oai_dc', 'oai_lom'] }, example: 'oai_lom' },
  { name: 'from', description: 'changed on or after (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)', example: '2026-01-01' },
  { name: 'until', description: 'changed on or before', example: '2026-12-31' },
  { name: 'set', description: 'a setSpec', example: 'computing' },
  { name: 'resumptionToken', description: 'the token of the previous page (exclusive: no other argument but verb)' },
];

const IDENTIFY = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
  <responseDate>2026-03-20T18:45:00Z</responseDate>
  <request verb="Identify">https://gateway.example.org/oai</request>
  <Identify>
    <repositoryName>Example University courses</repositoryName>
    <baseURL>https://gateway.example.org/oai</baseURL>
    <protocolVersion>2.0</protocolVersion>
    <adminEmail>catalogue@example.org</adminEmail>
    <earliestDatestamp>2026-01-01T00:00:00Z</earliestDatestamp>
    <deletedRecord>persistent</deletedRecord>
    <granularity>YYYY-MM-DDThh:mm:ssZ</granularity>
  </Identify>
</OAI-PMH>
`;

const DOCUMENT = {
  200: { description: 'an OAI-PMH document: the answer, or an <error code="..."> naming what is wrong', content: { 'text/xml': { schema: { type: 'string' }, example: IDENTIFY } } },
};

/** The path of the OAI-PMH provider. */
export const OAI_PATHS: PathTable = {
  '/oai': {
    get: { summary: 'OAI-PMH 2.0 request with the arguments in the query', query: ARGUMENTS, responses: DOCUMENT },
    post: {
      summary: 'OAI-PMH 2.0 request with the arguments form-encoded (at most 64 kB)',
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: { type: 'object', required: ['verb'], properties: Object.fromEntries(ARGUMENTS.map((a) => [a.name, a.schema ?? { type: 'string' }])) },
            example: { verb: 'ListRecords', metadataPrefix: 'oai_lom', set: 'computing' },
          },
        },
      },
      responses: DOCUMENT,
    },
  },
};
