import { describe, expect, it } from 'vitest';
import { backupPath, classifyKey, eventsPath, snapshotFolder } from '../../../../src/ingest/edx/s3/layout.js';

const layout = { org: 'chalmersx', dataBucket: 'course-data', eventsBucket: 'edx-course-data' };
const PACKAGE_REASON = 'not a research data package chalmersx-YYYY-MM-DD.zip';
const EVENTS_REASON = 'not an event file chalmersx/<site>/events/<year>/chalmersx-<site>-events-YYYY-MM-DD.log.gz.gpg';

describe('the edX S3 layout', () => {
  it.each([
    ['course-data', 'chalmersx-2015-08-23.zip', { kind: 'package', day: '2015-08-23' }],
    ['edx-course-data', 'chalmersx/edx/events/2015/chalmersx-edx-events-2015-08-23.log.gz.gpg', { kind: 'events', site: 'edx', day: '2015-08-23', file: 'chalmersx-edx-events-2015-08-23.log.gz' }],
    ['edx-course-data', 'chalmersx/edge/events/2016/chalmersx-edge-events-2016-01-01.log.gz.gpg', { kind: 'events', site: 'edge', day: '2016-01-01' }],
    ['course-data', 'chalmersx-2015-08-23.zip.md5', { skipped: PACKAGE_REASON }],
    ['course-data', 'chalmersx-2015-8-23.zip', { skipped: PACKAGE_REASON }],
    ['edx-course-data', 'chalmersx/edx/events/2016/chalmersx-edx-events-2015-12-31.log.gz.gpg', { skipped: EVENTS_REASON }],
    ['edx-course-data', 'chalmersx/edx/events/2015/chalmersx-edge-events-2015-08-23.log.gz.gpg', { skipped: EVENTS_REASON }],
    ['edx-course-data', 'chalmersx/studio/events/2015/chalmersx-studio-events-2015-08-23.log.gz.gpg', { skipped: EVENTS_REASON }],
    ['edx-course-data', 'chalmersx/edx/events/2015/chalmersx-edx-events-2015-08-23.log.gz', { skipped: EVENTS_REASON }],
  ])('reads %s/%s', (bucket, key, expected) => {
    expect(classifyKey(layout, bucket, key)).toMatchObject(expected);
  });

  it('takes the organisation literally, not as a pattern', () => {
    expect(classifyKey({ ...layout, org: 'a.b' }, 'course-data', 'axb-2015-08-23.zip')).toEqual({ skipped: 'not a research data package a.b-YYYY-MM-DD.zip' });
  });

  it('keeps originals by bucket and key, and the decrypted data in the layout import edx-package reads', () => {
    const events = classifyKey(layout, 'edx-course-data', 'chalmersx/edx/events/2015/chalmersx-edx-events-2015-08-23.log.gz.gpg');
    if ('skipped' in events || events.kind !== 'events') throw new Error('not an event file');
    expect(backupPath('/backup', events)).toBe('/backup/edx-course-data/chalmersx/edx/events/2015/chalmersx-edx-events-2015-08-23.log.gz.gpg');
    expect(eventsPath('/data', events)).toBe('/data/edx-course-data/edx/events/2015/chalmersx-edx-events-2015-08-23.log.gz');
    expect(snapshotFolder('/data', 'chalmersx', '2015-08-23')).toBe('/data/course-data/chalmersx-2015-08-23');
  });
});
