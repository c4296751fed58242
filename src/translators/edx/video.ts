/**
 * Video events, legacy names and `edx.video.*` names alike, as the xAPI Video Profile
 * (https://w3id.org/xapi/video) says: the video is the object, positions go in
 * `result.extensions` (time, time-from, time-to), the session and length in the context.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, Extensions, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, PROFILE, VERB } from '../../xapi/vocabulary.js';
import { block, moduleBlock } from './activities.js';
import { num, str } from './fields.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

/** The video: `event.id` is its block (a bare name or a legacy `i4x-...-video-<name>`). */
function video(e: EdxEvent, c: RuleContext): Activity {
  const id = str(e, 'id');
  if (id === undefined) return moduleBlock(e, c, ACTIVITY_TYPE.video);
  return block(c, id, 'event.id', ACTIVITY_TYPE.video, { category: 'video', name: e.module?.displayName });
}

/** Seconds, rounded to the millisecond as the profile's examples have them. */
const seconds = (n: number) => Math.round(n * 1000) / 1000;

/** `result.extensions` with the position, when the event has one. */
function at(e: EdxEvent, ...fields: string[]): Result | undefined {
  for (const field of fields) {
    const t = num(e, field);
    if (t !== undefined) return { extensions: { [EXT.videoTime]: seconds(t) } };
  }
  return undefined;
}

/** Context extensions of every video statement: session and, where known, length. */
function videoContext(e: EdxEvent): Extensions {
  const out: Extensions = {};
  if (e.session !== undefined) out[EXT.videoSessionId] = e.session;
  const length = num(e, 'duration');
  if (length !== undefined) out[EXT.videoLength] = seconds(length);
  return out;
}

/** A video rule: the video profile's category and context on top of `rule`. */
function videoRule(rule: Omit<EdxRule, 'object' | 'category'>): EdxRule {
  const extra = rule.extensions;
  return {
    ...rule,
    object: video,
    category: [PROFILE.video],
    extensions: (e, c) => ({ ...videoContext(e), ...extra?.(e, c) }),
  };
}

const loaded = videoRule({ verb: VERB.initialized });
const played = videoRule({ verb: VERB.played, result: (e) => at(e, 'currentTime', 'current_time') });
const paused = videoRule({ verb: VERB.paused, result: (e) => at(e, 'currentTime', 'current_time') });
const stopped = videoRule({ verb: VERB.terminated, result: (e) => at(e, 'currentTime', 'current_time') });
const seeked = videoRule({
  verb: VERB.seeked,
  result: (e) => {
    const from = num(e, 'old_time');
    const to = num(e, 'new_time');
    const ext: Extensions = {};
    if (from !== undefined) ext[EXT.videoTimeFrom] = seconds(from);
    if (to !== undefined) ext[EXT.videoTimeTo] = seconds(to);
    return { extensions: ext };
  },
});
const completed = videoRule({
  verb: VERB.completed,
  result: (e) => ({ completion: true, extensions: { ...at(e, 'currentTime', 'current_time')?.extensions, [EXT.videoProgress]: 1 } }),
});
const captions = (enabled: boolean) =>
  videoRule({
    verb: VERB.interacted,
    result: (e) => at(e, 'currentTime', 'current_time'),
    extensions: (e) => {
      const lang = str(e, 'language');
      return { [EXT.videoCcEnabled]: enabled, ...(lang === undefined ? {} : { [EXT.videoCcSubtitleLang]: lang }) };
    },
  });
const menu = (name: string) =>
  videoRule({ verb: VERB.interacted, result: (e) => ({ extensions: { ...at(e, 'currentTime', 'current_time')?.extensions, [EXT.action]: name } }) });

/** Video rules. */
export const videoRules = {
  load_video: loaded,
  'edx.video.loaded': loaded,
  play_video: played,
  'edx.video.played': played,
  pause_video: paused,
  'edx.video.paused': paused,
  stop_video: stopped,
  'edx.video.stopped': stopped,
  seek_video: seeked,
  'edx.video.position.changed': seeked,
  speed_change_video: videoRule({
    verb: VERB.interacted,
    result: (e) => at(e, 'current_time', 'currentTime'),
    extensions: (e) => {
      const speed = num(e, 'new_speed');
      return speed === undefined ? {} : { [EXT.videoSpeed]: `${speed}x` };
    },
  }),
  complete_video: completed,
  'edx.video.completed': completed,
  show_transcript: captions(true),
  'edx.video.transcript.shown': captions(true),
  hide_transcript: captions(false),
  'edx.video.transcript.hidden': captions(false),
  'edx.video.closed_captions.shown': captions(true),
  'edx.video.closed_captions.hidden': captions(false),
  video_show_cc_menu: menu('language_menu.shown'),
  'edx.video.language_menu.shown': menu('language_menu.shown'),
  video_hide_cc_menu: menu('language_menu.hidden'),
  'edx.video.language_menu.hidden': menu('language_menu.hidden'),
} satisfies EdxRuleTable;
