/**
 * Textbook events: the old `book` event and the PDF viewer's `textbook.pdf.*` events.
 * Reading a page is `viewed`, searching is `searched`, and the viewer's controls (zoom,
 * thumbnails, outline) are `interacted` with the control named in `action`.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { activity } from './activities.js';
import { num, required, str } from './fields.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

/** The chapter read: the PDF the event names, else the page it came from. */
function chapter(e: EdxEvent, c: RuleContext): Activity {
  const url = str(e, 'chapter') ?? required(e.page, 'page');
  return activity(c.iris.page(url.split('?')[0]!), ACTIVITY_TYPE.chapter, str(e, 'name') === e.type ? undefined : str(e, 'name'));
}

/** The page number reached, when the event has one. */
function pageReached(e: EdxEvent): Result | undefined {
  const page = num(e, 'new') ?? num(e, 'page');
  return page === undefined ? undefined : { extensions: { [EXT.page]: page } };
}

const read: EdxRule = { verb: VERB.viewed, object: chapter, result: pageReached };
const control = (action: string): EdxRule => ({ verb: VERB.interacted, object: chapter, result: () => ({ extensions: { [EXT.action]: action } }) });
const search: EdxRule = {
  verb: VERB.searched,
  object: chapter,
  result: (e) => {
    const query = str(e, 'query');
    return query === undefined ? undefined : { response: query };
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
