import { describe, expect, it } from 'vitest';
import { FutureLearnPageError, parseCourseList, parseDay, parseStatsDashboard } from '../../../src/ingest/futurelearn/admin-pages.js';
import { runFolderName } from '../../../src/ingest/futurelearn/fetch-run.js';
import { findSignInForm, isSignedInPage } from '../../../src/ingest/futurelearn/sign-in.js';

const LIST = '/admin/organisations/uni/courses';
const HEAD = '<thead><tr><th>Run</th><th>Start date</th><th>Duration</th><th>Status</th><th>Actions</th></tr></thead>';
const row = (slug: string, run: number, start: string, weeks: string, status: string, stats = true) => `<tr>
  <td><a href="/admin/courses/${slug}/${run}">Run ${run}</a></td><td>${start}</td><td>${weeks}</td><td>${status}</td>
  <td>${stats ? `<a href="https://www.futurelearn.com/admin/courses/${slug}/${run}/stats-dashboard?tab=data">Stats</a>` : ''}</td></tr>`;
const table = (...bodies: string[]) => `<html><body><table>${HEAD}${bodies.join('')}</table></body></html>`;

function pageError(fn: () => unknown): FutureLearnPageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FutureLearnPageError) return err;
    throw err;
  }
  throw new Error('expected a FutureLearnPageError');
}

describe('the course list parser', () => {
  it('reads one course per tbody and one run per row', () => {
    const courses = parseCourseList(table(
      `<tbody><tr><th colspan="5"><a href="/admin/courses/intro-stats">Intro to  Statistics</a></th></tr>
        ${row('intro-stats', 1, '<time datetime="2016-08-08">8 August 2016</time>', '3 weeks', 'Finished')}
        ${row('intro-stats', 2, '6 Feb 2017', '4 weeks', ' in progress ')}
        ${row('intro-stats', 3, '', '', 'upcoming', false)}</tbody>`,
      `<tbody><tr><th colspan="5">Ecology</th></tr>${row('ecology', 1, '2018-01-15', '6 weeks', 'finished')}</tbody>`,
    ), LIST);
    expect(courses).toEqual([
      {
        slug: 'intro-stats', title: 'Intro to Statistics', runs: [
          { run: 1, start: '2016-08-08', weeks: 3, status: 'finished', detailsPath: '/admin/courses/intro-stats/1', statsPath: '/admin/courses/intro-stats/1/stats-dashboard' },
          { run: 2, start: '2017-02-06', weeks: 4, status: 'in progress', detailsPath: '/admin/courses/intro-stats/2', statsPath: '/admin/courses/intro-stats/2/stats-dashboard' },
          { run: 3, status: 'upcoming', detailsPath: '/admin/courses/intro-stats/3' },
        ],
      },
      // No course link in the heading: the slug comes from the run links.
      { slug: 'ecology', title: 'Ecology', runs: [{ run: 1, start: '2018-01-15', weeks: 6, status: 'finished', detailsPath: '/admin/courses/ecology/1', statsPath: '/admin/courses/ecology/1/stats-dashboard' }] },
    ]);
  });

  it('finds the columns by their header titles, whatever their order', () => {
    const html = `<table><thead><tr><th>Status</th><th>Weeks</th><th>Run</th><th>Starts on (start)</th></tr></thead><tbody>
      <tr><td>finished</td><td>2 weeks</td><td><a href="/admin/courses/c/7/stats-dashboard">7</a></td><td>2020-03-02</td></tr></tbody></table>`;
    expect(parseCourseList(html, LIST)[0]?.runs).toEqual([{ run: 7, start: '2020-03-02', weeks: 2, status: 'finished', statsPath: '/admin/courses/c/7/stats-dashboard' }]);
  });

  it('names the page and the missing table when there is no tbody', () => {
    const err = pageError(() => parseCourseList('<html><div class="course-card">Intro</div></html>', LIST));
    expect(err.code).toBe('page_changed');
    expect(err.message).toBe('/admin/organisations/uni/courses: no course table (tbody) found');
  });

  it('names the row that lacks a stats dashboard link', () => {
    const err = pageError(() => parseCourseList(table(`<tbody>${row('c', 1, '2020-01-06', '2 weeks', 'finished', false)}</tbody>`), LIST));
    expect(err.message).toBe(`${LIST}: course table body 1, run row 1: no stats dashboard link (…/stats-dashboard)`);
  });

  it('names a missing start date, duration or header column', () => {
    expect(pageError(() => parseCourseList(table(`<tbody>${row('c', 1, 'soon', '2 weeks', 'finished')}</tbody>`), LIST)).message).toMatch(/run row 1: no start date$/);
    expect(pageError(() => parseCourseList(table(`<tbody>${row('c', 1, '2020-01-06', 'two', 'finished')}</tbody>`), LIST)).message).toMatch(/no duration in weeks$/);
    expect(pageError(() => parseCourseList('<table><thead><tr><th>Run</th></tr></thead><tbody></tbody></table>', LIST)).message)
      .toBe(`${LIST}: no "Start date" column in the course table header`);
  });

  it('refuses slugs that are not plain names, as they become folders', () => {
    const err = pageError(() => parseCourseList(table(`<tbody><tr><th>X</th></tr>${row('..%2F..', 1, '2020-01-06', '2 weeks', 'finished')}</tbody>`), LIST));
    expect(err.message).toMatch(/run row 1: no stats dashboard link/);
  });
});

describe('the stats dashboard parser', () => {
  const DASH = '/admin/courses/intro/1/stats-dashboard';

  it('lists each dataset link once, in page order', () => {
    const html = `<ul>
      <li><a href="/admin/courses/intro/1/stats-dashboard/data/enrolments">Enrolments</a></li>
      <li><a href="https://www.futurelearn.com/admin/courses/intro/1/stats-dashboard/data/step-activity">Step activity</a></li>
      <li><a href="/admin/courses/intro/1/stats-dashboard/data/enrolments">again</a></li>
      <li><a href="/admin/courses/intro/1/stats-dashboard">back</a></li></ul>`;
    expect(parseStatsDashboard(html, DASH)).toEqual([
      { name: 'enrolments', path: '/admin/courses/intro/1/stats-dashboard/data/enrolments' },
      { name: 'step-activity', path: '/admin/courses/intro/1/stats-dashboard/data/step-activity' },
    ]);
  });

  it('names the page when the dataset list is gone', () => {
    const err = pageError(() => parseStatsDashboard('<div id="stats-app"></div>', DASH));
    expect(err.message).toBe(`${DASH}: no dataset list (links to …/stats-dashboard/data/<dataset>) found`);
  });
});

describe('the sign-in form reader', () => {
  const page = new URL('https://www.futurelearn.com/sign-in');
  const FORM = `<form action="/search"><input name="q"></form>
    <form action="/sign-in" method="post"><input type="hidden" name="authenticity_token" value="tok+/=">
      <input type="hidden" name="return_to" value="/x"><input type="email" name="email" value="">
      <input type="password" name="password"><input type="checkbox" name="remember_me" value="1">
      <input type="checkbox" name="terms" value="yes" checked><select name="locale"><option value="en">en</option><option value="fr" selected>fr</option></select>
      <input type="submit" name="commit" value="Sign in"><input type="submit" name="other" value="Other"></form>`;

  it('copies every named field a browser would send, from the form with a password', () => {
    const form = findSignInForm(FORM, page);
    expect(form.action.href).toBe('https://www.futurelearn.com/sign-in');
    expect(form.emailField).toBe('email');
    expect(form.passwordField).toBe('password');
    expect(form.fields).toEqual([
      ['authenticity_token', 'tok+/='], ['return_to', '/x'], ['email', ''], ['password', ''], ['terms', 'yes'], ['locale', 'fr'], ['commit', 'Sign in'],
    ]);
  });

  it('names the page when there is no sign-in form or no CSRF field', () => {
    expect(pageError(() => findSignInForm('<form><input name="q"></form>', page)).message).toBe('/sign-in: no sign-in form (a form with a password field) found');
    expect(pageError(() => findSignInForm('<form><input type="email" name="e"><input type="password" name="p"></form>', page)).message)
      .toBe('/sign-in: the sign-in form has no authenticity_token (CSRF) field');
  });

  it('sees a signed-in page by its sign-out link and the absence of a sign-in form', () => {
    expect(isSignedInPage('<a href="/sign-out" data-method="delete">Sign out</a>')).toBe(true);
    expect(isSignedInPage(`<a href="/sign-out">Sign out</a>${FORM}`)).toBe(false);
    expect(isSignedInPage('<p>Welcome</p>')).toBe(false);
  });
});

describe('dates and run folders', () => {
  it('reads the date formats of the admin pages and refuses impossible days', () => {
    expect(parseDay('2016-08-08T00:00:00Z')).toBe('2016-08-08');
    expect(parseDay('Monday 8th August, 2016')).toBe('2016-08-08');
    expect(parseDay('29 Feb 2017')).toBeUndefined();
    expect(parseDay('tbc')).toBeUndefined();
  });

  it('names a run folder by its first and last day', () => {
    expect(runFolderName({ run: 3, start: '2016-08-08', weeks: 3 })).toBe('3 - 2016-08-08 - 2016-08-28');
    expect(runFolderName({ run: 1, start: '2020-02-24', weeks: 1 })).toBe('1 - 2020-02-24 - 2020-03-01');
  });
});
