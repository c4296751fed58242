/**
 * Checks values against the schemas of /openapi.json with ajv's JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1, in strict mode: an unknown keyword is an error, not a silent pass.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS; under NodeNext their default import is module.exports.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** Where the document's components live for ajv: `#/components/schemas/X` becomes `<ROOT>#/$defs/X`. */
const ROOT = 'https://xapi-gateway.invalid/openapi.json';

/**
 * A checker of values against schemas of `doc`, giving one line per error; a schema that
 * does not compile gives one line starting with `schema:`.
 * @example schemaChecker(doc)({ $ref: '#/components/schemas/Course' }, course) // []
 */
export function schemaChecker(doc: { components: { schemas: Record<string, object> } }): (schema: object, value: unknown) => string[] {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  const relink = (schema: unknown): object => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${ROOT}#/$defs/`)) as object;
  ajv.addSchema({ $id: ROOT, $defs: relink(doc.components.schemas) });
  const compiled = new Map<string, ValidateFunction>();
  return (schema, value) => {
    const text = JSON.stringify(schema);
    let validate = compiled.get(text);
    try {
      validate ??= ajv.compile(relink(schema));
    } catch (err) {
      return [`schema: ${(err as Error).message}`];
    }
    compiled.set(text, validate);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}
