/**
 * ECO's OAI-PMH harvester as eco.md describes it: ListRecords of oai_lom only, resumed
 * with metadataPrefix beside the unencoded token, the token read as the first text child
 * of <resumptionToken>, vCards split on CRLF and read literally, images downloaded by a
 * plain GET. Its failures are thrown (a harvest ECO would lose) or listed as skips.
 * Unlike ECO it keeps the port of the base URL: tests cannot bind 80.
 */
import { XmlCData, XmlDocument, XmlElement, type XmlNode } from 'libxml2-wasm';

const NS = { o: 'http://www.openarchives.org/OAI/2.0/', lom: 'http://ltsc.ieee.org/xsd/LOM', eco: 'http://www.ecolearning.eu/xsd/LOM' };

/** A course as ECO shows it. */
export interface EcoCourse {
  id: string;
  set?: string;
  title: string;
  description: string;
  languages: string[];
  location: string;
  teachers: { id: string; name: string }[];
  organisation: string;
  interestArea: string;
  image?: Buffer;
}

/** ECO's copy of a platform's catalogue, updated by each harvest. */
export class EcoHarvester {
  readonly courses = new Map<string, EcoCourse>();
  /** Courses ECO skipped in the last harvest, with why. */
  skipped: { id: string; reason: string }[] = [];
  /** Every page of the last harvest, as received. */
  pages: string[] = [];
  /** The responseDate of the first page of the last harvest: where an incremental one starts. */
  startedAt = '';
  private seen = new Set<string>();

  constructor(private readonly baseUrl: string) {}

  /**
   * A full harvest, as ECO does (it never sends from/until); with `from`, an incremental
   * one, as generic harvesters do, applied to what earlier harvests brought.
   */
  async harvest(opts: { from?: string } = {}): Promise<void> {
    this.skipped = [];
    this.pages = [];
    this.seen = new Set();
    let url = `${this.baseUrl}?verb=ListRecords&metadataPrefix=oai_lom${opts.from === undefined ? '' : `&from=${opts.from}`}`;
    for (;;) {
      const xml = await (await fetch(url)).text();
      this.pages.push(xml);
      // Its clean-up loops forever on text between the declaration and the root.
      if (!/^<\?xml[^>]*\?><OAI-PMH[\s>]/.test(xml)) throw new Error('ECO would loop: text outside the root element');
      using doc = XmlDocument.fromString(xml);
      if (this.pages.length === 1) this.startedAt = doc.get('/o:OAI-PMH/o:responseDate', NS)!.content;
      const error = doc.get('/o:OAI-PMH/o:error/@code', NS)?.content;
      if (error !== undefined) {
        if (error === 'noRecordsMatch') return;
        throw new Error(`ECO stops its harvest silently at ${error}`);
      }
      for (const record of doc.find('//o:ListRecords/o:record', NS)) await this.read(record);
      const tokenElement = doc.get('//o:resumptionToken', NS);
      if (tokenElement === null) return;
      const token = tokenElement.get('text()')?.content;
      if (token === undefined) throw new Error('ECO fails on an empty resumptionToken and loses the page');
      url = `${this.baseUrl}?verb=ListRecords&metadataPrefix=oai_lom&resumptionToken=${token}`;
    }
  }

  private async read(record: XmlNode): Promise<void> {
    const id = record.get('o:header/o:identifier', NS)!.content;
    // A list that repeats a record is a paging bug, even though ECO would not notice.
    if (this.seen.has(id)) throw new Error(`${id} arrived twice in one harvest`);
    this.seen.add(id);
    if (record.get('o:header/@status', NS)?.content === 'deleted') {
      this.courses.delete(id);
      return;
    }
    const lom = record.get('o:metadata/lom:lom', NS)!;
    if (lom.get('lom:general/lom:identifier', NS) === null) throw new Error(`ECO crashes on ${id}: no lom:general/lom:identifier`);
    if (lom.find('.//lom:string[not(@language)]', NS).length > 0) throw new Error(`ECO gives up at ${id}: a lom:string without language`);
    const location = lom.get('lom:technical/lom:location', NS);
    if (location instanceof XmlElement && location.firstChild instanceof XmlCData) return this.skip(id, 'lom:location as CDATA');
    const text = (xpath: string) => lom.get(xpath, NS)?.content;
    const vcards = lom.find('lom:lifeCycle/lom:contribute', NS).map((c) => ({
      role: c.get('lom:role/lom:value', NS)?.content,
      lines: (c.get('lom:entity', NS)?.content ?? '').split('\r\n'),
    }));
    const field = (lines: string[], prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length);
    const teachers = vcards.filter((v) => v.role === 'author').map((v) => ({ id: field(v.lines, 'UID:urn:uuid:') ?? '', name: field(v.lines, 'FN:') ?? '' }));
    const organisation = vcards.map((v) => field(v.lines, 'ORG:')).find((o) => o !== undefined);
    const course = {
      id: text('lom:general/lom:identifier/lom:entry'),
      title: text('lom:general/lom:title/lom:string'),
      description: text('lom:general/lom:description/lom:string'),
      languages: lom.find('lom:general/lom:language', NS).map((n) => n.content),
      location: location?.content,
      organisation,
      interestArea: text('lom:classification/lom:taxonPath/lom:taxon/lom:id'),
    };
    const missing = Object.entries(course).filter(([, v]) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0)).map(([k]) => k);
    if (missing.length > 0) return this.skip(id, `no ${missing.join(', ')}`);
    const set = record.get('o:header/o:setSpec', NS)?.content;
    const image = await this.image(lom);
    this.courses.set(id, { ...(course as Omit<EcoCourse, 'teachers' | 'set' | 'image'>), teachers, ...(set !== undefined && { set }), ...(image && { image }) });
  }

  /** The image: base64 bytes, or a URL downloaded with a plain GET (200 and 20 bytes, else none). */
  private async image(lom: XmlNode): Promise<Buffer | undefined> {
    const base64 = lom.get('eco:courseImage/eco:courseImageBase64', NS)?.content;
    if (base64 !== undefined) return Buffer.from(base64, 'base64');
    const url = lom.get('eco:courseImage/eco:courseUrl', NS)?.content;
    if (url === undefined) return undefined;
    const res = await fetch(url).catch(() => undefined);
    const bytes = res?.status === 200 ? Buffer.from(await res.arrayBuffer()) : undefined;
    return bytes !== undefined && bytes.length >= 20 ? bytes : undefined;
  }

  private skip(id: string, reason: string): void {
    this.courses.delete(id);
    this.skipped.push({ id, reason });
  }
}
