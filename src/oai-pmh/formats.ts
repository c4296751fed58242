/**
 * The metadata formats the repository disseminates: `oai_dc`, which OAI-PMH requires,
 * and `oai_lom`, IEEE LOM with ECO's extensions and the fields ECO reads, in ECO's
 * order (eco.md). Each is a row of one table: prefix, schema, namespace, writer.
 */
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Course } from '../catalog/courses.js';
import type { Teacher } from '../catalog/teachers.js';

/** What a metadata writer gets. */
export interface MetadataInput {
  course: Course;
  teachers: Teacher[];
  /** The record's OAI identifier, which ECO also takes as the course id. */
  identifier: string;
  /** The image uploaded through the admin API, when the format uses images. */
  image?: Buffer;
}

/** A metadata format: its prefix, schema and namespace, and the writer of a record's metadata. */
export interface MetadataFormat {
  prefix: string;
  schema: string;
  namespace: string;
  /** Whether `write` shows the uploaded image: only then is it read from the database. */
  usesImage: boolean;
  /** Writes the metadata's root element, with every namespace declaration it needs, into `parent`. */
  write(parent: XMLBuilder, input: MetadataInput): void;
}

const DC = 'http://purl.org/dc/elements/1.1/';
const OAI_DC = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const LOM = 'http://ltsc.ieee.org/xsd/LOM';
const ECO = 'http://www.ecolearning.eu/xsd/LOM';

/** `{lang: text}` with the first language first: ECO takes the first string. */
function strings(map: Record<string, string>, languages: string[]): [string, string][] {
  const entries = Object.entries(map);
  const rank = (lang: string) => (languages.includes(lang) ? languages.indexOf(lang) : languages.length);
  return entries.sort(([a], [b]) => rank(a) - rank(b));
}

/** A LOM langstring: one `lom:string` per language, the language always as attribute. */
function langString(parent: XMLBuilder, name: string, map: Record<string, string>, languages: string[]): void {
  const el = parent.ele(LOM, name);
  for (const [language, text] of strings(map, languages)) el.ele(LOM, 'lom:string', { language }).txt(text);
}

/** A LOM vocabulary value. */
function vocabulary(parent: XMLBuilder, name: string, value: string): void {
  const el = parent.ele(LOM, name);
  el.ele(LOM, 'lom:source').txt('LOMv1.0');
  el.ele(LOM, 'lom:value').txt(value);
}

/** A vCard, its lines joined by CRLF as ECO splits them. */
function vcard(lines: string[]): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD'].join('\r\n');
}

/**
 * A vCard value as ECO reads it: `FN:` and `ORG:` literally, without vCard unescaping
 * (eco.md), so a name is written as entered, commas, semicolons and backslashes included.
 * Only a line break would cut the line; the admin API refuses them, and any stored before
 * it did become a space.
 */
const vcardValue = (text: string) => text.replace(/[\r\n\v\f\u0085\u2028\u2029]+/g, ' ');

const oaiDc: MetadataFormat = {
  prefix: 'oai_dc',
  schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
  namespace: OAI_DC,
  usesImage: false,
  write(parent, { course, teachers, identifier }) {
    const dc = parent.ele(OAI_DC, 'oai_dc:dc', { 'xmlns:dc': DC, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd` });
    for (const [lang, title] of strings(course.titles, course.languages)) dc.ele(DC, 'dc:title', { 'xml:lang': lang }).txt(title);
    for (const teacher of teachers) dc.ele(DC, 'dc:creator').txt(teacher.name);
    for (const [lang, text] of strings(course.descriptions, course.languages)) dc.ele(DC, 'dc:description', { 'xml:lang': lang }).txt(text);
    if (course.organisation !== undefined) dc.ele(DC, 'dc:publisher').txt(course.organisation);
    if (course.startDate !== undefined) dc.ele(DC, 'dc:date').txt(course.startDate);
    dc.ele(DC, 'dc:type').txt('course');
    dc.ele(DC, 'dc:identifier').txt(identifier);
    if (course.url !== undefined) dc.ele(DC, 'dc:identifier').txt(course.url);
    for (const language of course.languages) dc.ele(DC, 'dc:language').txt(language);
    if (course.interestArea !== undefined) dc.ele(DC, 'dc:subject').txt(course.interestArea);
  },
};

const oaiLom: MetadataFormat = {
  prefix: 'oai_lom',
  schema: 'http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd',
  namespace: LOM,
  usesImage: true,
  write(parent, { course, teachers, identifier, image }) {
    const lom = parent.ele(LOM, 'lom:lom', { 'xmlns:eco': ECO, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${LOM} http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd` });
    const general = lom.ele(LOM, 'lom:general');
    const id = general.ele(LOM, 'lom:identifier');
    id.ele(LOM, 'lom:catalog').txt('oai');
    id.ele(LOM, 'lom:entry').txt(identifier);
    langString(general, 'lom:title', course.titles, course.languages);
    for (const language of course.languages) general.ele(LOM, 'lom:language').txt(language);
    langString(general, 'lom:description', course.descriptions, course.languages);
    if (course.startDate !== undefined) general.ele(ECO, 'eco:startDate').txt(course.startDate);
    if (course.endDate !== undefined) general.ele(ECO, 'eco:endDate').txt(course.endDate);
    if (course.units !== undefined) general.ele(ECO, 'eco:nrOfUnits').txt(String(course.units));
    if (course.studyLoadHours !== undefined) general.ele(ECO, 'eco:studyLoad').txt(String(course.studyLoadHours));
    const lifeCycle = lom.ele(LOM, 'lom:lifeCycle');
    for (const teacher of teachers) {
      const contribute = lifeCycle.ele(LOM, 'lom:contribute');
      vocabulary(contribute, 'lom:role', 'author');
      contribute.ele(LOM, 'lom:entity').txt(vcard([`FN:${vcardValue(teacher.name)}`, `UID:urn:uuid:${teacher.id}`]));
    }
    if (course.organisation !== undefined) {
      const contribute = lifeCycle.ele(LOM, 'lom:contribute');
      vocabulary(contribute, 'lom:role', 'content provider');
      contribute.ele(LOM, 'lom:entity').txt(vcard([`FN:${vcardValue(course.organisation)}`, `ORG:${vcardValue(course.organisation)}`]));
    }
    if (course.interestArea !== undefined) {
      const classification = lom.ele(LOM, 'lom:classification');
      vocabulary(classification, 'lom:purpose', 'discipline');
      const path = classification.ele(LOM, 'lom:taxonPath');
      path.ele(LOM, 'lom:source').ele(LOM, 'lom:string', { language: 'en' }).txt('ECO');
      path.ele(LOM, 'lom:taxon').ele(LOM, 'lom:id').txt(course.interestArea);
    }
    if (course.url !== undefined) lom.ele(LOM, 'lom:technical').ele(LOM, 'lom:location').txt(course.url);
    if (course.typicalLearningTime !== undefined) {
      lom.ele(LOM, 'lom:educational').ele(LOM, 'lom:typicalLearningTime').ele(LOM, 'lom:duration').txt(course.typicalLearningTime);
    }
    // ECO reads the image from a child of eco:courseImage, not from its text; an upload wins over a URL.
    if (image !== undefined) lom.ele(ECO, 'eco:courseImage').ele(ECO, 'eco:courseImageBase64').txt(image.toString('base64'));
    else if (course.imageUrl !== undefined) lom.ele(ECO, 'eco:courseImage').ele(ECO, 'eco:courseUrl').txt(course.imageUrl);
  },
};

/** Every format, by prefix. */
export const METADATA_FORMATS: Record<string, MetadataFormat> = { oai_dc: oaiDc, oai_lom: oaiLom };
