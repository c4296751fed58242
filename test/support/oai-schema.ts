/**
 * OAI-PMH responses checked against the schemas, as `xmllint --nonet --schema` checks
 * them (libxml2 compiled to WASM): the envelope, oai_dc, oai-identifier, and this
 * project's schema of the LOM fields ECO reads.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';

const DRIVER = fileURLToPath(new URL('../fixtures/oai/xsd/oai-pmh-all.xsd', import.meta.url));

let validator: XsdValidator | undefined;

function schema(): XsdValidator {
  if (validator === undefined) {
    xmlRegisterFsInputProviders();
    validator = XsdValidator.fromDoc(XmlDocument.fromBuffer(readFileSync(DRIVER), { url: DRIVER }));
  }
  return validator;
}

/** The schema errors of a response; empty when it is valid. */
export function oaiSchemaErrors(xml: string): string[] {
  using doc = XmlDocument.fromString(xml);
  try {
    schema().validate(doc);
    return [];
  } catch (err) {
    if (err instanceof XmlValidateError) return err.details.map((d) => `${d.line}: ${d.message.trim()}`);
    throw err;
  }
}

/**
 * Each record's metadata cut out of a response as text, the way harvesters that store
 * records one by one take it; each must parse and validate as a document of its own.
 */
export function metadataDocuments(xml: string): string[] {
  return [...xml.matchAll(/<metadata>(.*?)<\/metadata>/gs)].map((m) => `<?xml version="1.0" encoding="UTF-8"?>${m[1]!}`);
}

/** The problems of every record's metadata taken alone: parse errors, then schema errors. */
export function standaloneMetadataErrors(xml: string): string[] {
  return metadataDocuments(xml).flatMap((doc, i) => {
    try {
      return oaiSchemaErrors(doc).map((e) => `record ${i + 1}: ${e}`);
    } catch (err) {
      return [`record ${i + 1}: ${(err as Error).message.trim()}`];
    }
  });
}
