import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvOf } from '../../../src/reports/table.js';
import { videoStatsTable, type VideoRow } from '../../../src/reports/futurelearn/video-stats.js';

// The rows of test/fixtures/futurelearn/.../video-stats.csv as the import stores them, one
// with a column the known list lacks.
const VIDEOS: VideoRow[] = [
  {
    stepPosition: '1.1', title: 'Welcome, "all"', durationSeconds: 183, totalViews: 4,
    stats: {
      step_position: '1.1', title: 'Welcome, "all"', video_duration: '183', total_views: '4', total_downloads: '0', total_caption_views: '1', total_transcript_views: '0',
      viewed_hd: '50.0', viewed_five_percent: '100.0', viewed_twentyfive_percent: '100.0', viewed_fifty_percent: '75.0', viewed_seventyfive_percent: '75.0',
      viewed_ninetyfive_percent: '50.0', viewed_onehundred_percent: '33.333333333333336', mobile_device_percentage: '25.0',
    },
  },
  { stepPosition: '2.1', title: null, durationSeconds: null, totalViews: 2, stats: { step_position: '2.1', total_views: '2', total_downloads: '1', viewed_hd: 'n/a' } },
];

describe('the video_stats table', () => {
  it('gives every exported figure a column of its own, so no cell holds JSON', () => {
    const table = videoStatsTable(VIDEOS);
    expect(table.columns.map((c) => c.name)).toEqual([
      'step_position', 'title', 'video_duration_seconds', 'total_views', 'total_downloads', 'total_caption_views', 'total_transcript_views', 'viewed_hd',
      'viewed_five_percent', 'viewed_twentyfive_percent', 'viewed_fifty_percent', 'viewed_seventyfive_percent', 'viewed_ninetyfive_percent', 'viewed_onehundred_percent',
      'mobile_device_percentage',
    ]);
    expect(table.columns.at(-1)!.description).toMatch(/as exported by FutureLearn/);
    const rows = parse(csvOf(table), { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ title: 'Welcome, "all"', video_duration_seconds: '183', total_downloads: '0', viewed_hd: '50', viewed_onehundred_percent: '33.3', mobile_device_percentage: '25' });
    // Absent figures are empty; a figure that is not a number is kept as exported.
    expect(rows[1]).toMatchObject({ title: '', video_duration_seconds: '', total_caption_views: '', viewed_hd: 'n/a', mobile_device_percentage: '' });
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[{[]/);
  });

  it('has the known columns even without videos', () => {
    const table = videoStatsTable([]);
    expect(table.columns.map((c) => c.name)).toContain('viewed_onehundred_percent');
    expect(table.rows).toEqual([]);
  });
});
