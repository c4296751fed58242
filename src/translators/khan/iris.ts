/**
 * The IRIs of Khan Academy things: the site, exercises, badges and videos. Every Khan
 * statement names its activities through these, so that the translator and the reports
 * agree on one id per thing. The public API is gone (2020); these are names, not links.
 */

/** The actor's account `homePage` and the root of every activity IRI. */
export const KHAN_HOME = 'https://www.khanacademy.org';

/** The `context.platform` of every Khan Academy statement. */
export const KHAN_PLATFORM = 'Khan Academy';

const enc = encodeURIComponent;

// Rooted in Khan's internal names (`exercise_model.name`, the badge slug), which stay
// when a display name is reworded, so that a re-pull names the same activities.
/** Activity IRIs of Khan Academy. */
export const khanIri = {
  /** The site itself: the object of what a student's profile says (points, joining). */
  home: KHAN_HOME,
  /** All of the site's videos as one activity: the API gives only the total time watched. */
  videos: `${KHAN_HOME}/videos`,
  exercise: (name: string) => `${KHAN_HOME}/exercise/${enc(name)}`,
  badge: (slug: string) => `${KHAN_HOME}/badges/${enc(slug)}`,
  /** One video, by its readable id (else its YouTube id). */
  video: (readableId: string) => `${KHAN_HOME}/video/${enc(readableId)}`,
};
