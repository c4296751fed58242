/**
 * Textbook events: the old `book` event and the PDF viewer's `textbook.pdf.*` events.
 * Reading a page is `viewed` with the page as object, named "Textbook 1, chapter 2, page 12";
 * searching is `searched` and the viewer's controls (zoom, thumbnails, outline) are
 * `interacted`, with the book (or chapter) as object and the control named in `action`.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { activity } from './activities.js';
import { num, required, str } from './fields.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

/** Where the viewer was: `/courses/<id>/[pdf|html]book/<n>/[chapter/<c>/]` of the event's page. */
const BOOK_PATH = /\/courses\/[^?#]+?\/((?:pdf|html)?book)\/(\d+)\/(?:chapter\/(\d+)\/)?/;

/**
 * The book the event is in, with its chapter: from the LMS page when it names the book
 * (`pdfbook/0/` is "Textbook 1": edX counts books from 0 in URLs), else the PDF the
 * event names, by its file name. A chapter title from the event names the chapter.
 */
function bookOf(e: EdxEvent, c: RuleContext): { book: Activity; chapter?: Activity; label: string } {
  const m = e.page === undefined ? null : BOOK_PATH.exec(e.page);
  if (m === null) {
    const url = required(str(e, 'chapter'), 'event.chapter').split('?')[0]!;
    const label = str(e, 'chapter_title') ?? decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
    return { book: activity(c.iris.page(url), ACTIVITY_TYPE.document, label), label };
  }
  const [, kind, index, chapterNo] = m as unknown as [string, string, string, string | undefined];
  const base = `courses/${c.course.id}/${kind}/${index}/`;
  const title = `Textbook ${Number(index) + 1}`;
  const book = activity(c.iris.page(base), ACTIVITY_TYPE.book, title);
  if (chapterNo === undefined) return { book, label: title };
  const label = `${title}, chapter ${chapterNo}`;
  return { book, chapter: activity(c.iris.page(`${base}chapter/${chapterNo}/`), ACTIVITY_TYPE.chapter, label), label };
}

/** The page number the event is at: a `book` event's `new`, else `page`. */
const pageNo = (e: EdxEvent) => num(e, 'new') ?? num(e, 'page');

/** A page read: the page itself (`.../<page>`, the LMS's own page URL), else the chapter or book. */
function pageRead(e: EdxEvent, c: RuleContext): Activity {
  const { book, chapter, label } = bookOf(e, c);
  const page = pageNo(e);
  const within = chapter ?? book;
  if (page === undefined) return within;
  const sep = within.definition?.type === ACTIVITY_TYPE.document.id ? '#page=' : '';
  return activity(`${within.id}${sep}${page}`, ACTIVITY_TYPE.page, `${label}, page ${page}`);
}

/** The book and chapter a page or control belongs to, as parents. */
const bookParents = (e: EdxEvent, c: RuleContext): Activity[] => {
  const { book, chapter } = bookOf(e, c);
  return chapter === undefined ? [book] : [book, chapter];
};

/** The page number reached, when the event has one. */
function pageReached(e: EdxEvent): Result | undefined {
  const page = pageNo(e);
  return page === undefined ? undefined : { extensions: { [EXT.page]: page } };
}

/** The viewer's control used on a book: the book (or chapter) is the object. */
const bookUsed = (e: EdxEvent, c: RuleContext): Activity => {
  const { book, chapter } = bookOf(e, c);
  return chapter ?? book;
};

const read: EdxRule = { verb: VERB.viewed, object: pageRead, parents: bookParents, result: pageReached };
const control = (action: string): EdxRule => ({
  verb: VERB.interacted,
  object: bookUsed,
  parents: bookParents,
  result: (e) => ({ extensions: { ...pageReached(e)?.extensions, [EXT.action]: action } }),
});
const search: EdxRule = {
  verb: VERB.searched,
  object: bookUsed,
  parents: bookParents,
  result: (e) => {
    const query = str(e, 'query');
    return { ...(query === undefined ? {} : { response: query }), ...pageReached(e) };
  },
};

/** Textbook rules. */
export const textbookRules = {
  book: read,
  'textbook.pdf.page.loaded': read,
  'textbook.pdf.page.navigated': read,
  'textbook.pdf.thumbnail.navigated': read,
  'textbook.pdf.chapter.navigated': read,
  'textbook.pdf.page.scrolled': control('page.scrolled'),
  'textbook.pdf.zoom.buttons.changed': control('zoom.buttons.changed'),
  'textbook.pdf.zoom.menu.changed': control('zoom.menu.changed'),
  'textbook.pdf.display.scaled': control('display.scaled'),
  'textbook.pdf.outline.toggled': control('outline.toggled'),
  'textbook.pdf.thumbnails.toggled': control('thumbnails.toggled'),
  'textbook.pdf.search.highlight.toggled': control('search.highlight.toggled'),
  'textbook.pdf.searchcasesensitivity.toggled': control('searchcasesensitivity.toggled'),
  'textbook.pdf.search.executed': search,
  'textbook.pdf.search.navigatednext': search,
} satisfies EdxRuleTable;
