/**
 * `npm run bench [-- outbox|lrs|edx|oai|reports|coursera|futurelearn|khan|hostile-bodies|startup|all] [--count N] [--million] [--lrs-count N] [--lrs-post-count M]
 * [--edx-count N] [--oai-courses N] [--eco-statements N] [--report-statements N] [--coursera-clickstream N]
 * [--coursera-learners N] [--coursera-statements N] [--futurelearn-rows N] [--khan-students N] [--settle-seconds N] [--startup-rounds N]`: runs the
 * benchmarks and prints their figures as JSON. Timings are measured, never asserted.
 */
import { parseArgs } from 'node:util';
import { benchCoursera } from './coursera.js';
import { benchEdx } from './edx.js';
import { benchFutureLearn } from './futurelearn.js';
import { benchHostileBodies } from './hostile-bodies.js';
import { benchKhan } from './khan.js';
import { benchLrs } from './lrs.js';
import { benchOai } from './oai.js';
import { benchReports } from './reports.js';
import { benchOutbox } from './outbox.js';
import { benchStartup } from './startup.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: 'string', default: '100000' },
    million: { type: 'boolean', default: false },
    'lrs-count': { type: 'string', default: '1000000' },
    'lrs-post-count': { type: 'string', default: '40000' },
    'edx-count': { type: 'string', default: '1000000' },
    'oai-courses': { type: 'string', default: '100000' },
    'eco-statements': { type: 'string', default: '1000000' },
    'report-statements': { type: 'string', default: '1000000' },
    'coursera-clickstream': { type: 'string', default: '1000000' },
    'coursera-learners': { type: 'string', default: '10000' },
    'coursera-statements': { type: 'string', default: '1000000' },
    'futurelearn-rows': { type: 'string', default: '1000000' },
    'khan-students': { type: 'string', default: '5000' },
    'settle-seconds': { type: 'string', default: '5' },
    'startup-rounds': { type: 'string', default: '5' },
  },
});
const which = positionals[0] ?? 'all';
const results: Record<string, unknown> = { node: process.version };
if (which === 'outbox' || which === 'all') results.outbox = await benchOutbox(Number(values.count), values.million);
if (which === 'lrs' || which === 'all') results.lrs = await benchLrs(Number(values['lrs-count']), Number(values['lrs-post-count']));
if (which === 'edx' || which === 'all') results.edx = await benchEdx(Number(values['edx-count']));
if (which === 'edx-coverage' || which === 'all') results.edxCoverage = await (await import('./edx-coverage.js')).benchEdxCoverage();
if (which === 'oai' || which === 'all') results.oai = await benchOai(Number(values['oai-courses']), Number(values['eco-statements']));
if (which === 'reports' || which === 'all') results.reports = await benchReports(Number(values['report-statements']));
if (which === 'coursera' || which === 'all') {
  results.coursera = await benchCoursera(Number(values['coursera-clickstream']), Number(values['coursera-learners']), Number(values['coursera-statements']));
}
if (which === 'futurelearn' || which === 'all') results.futurelearn = await benchFutureLearn(Number(values['futurelearn-rows']));
if (which === 'khan' || which === 'all') results.khan = await benchKhan(Number(values['khan-students']));
if (which === 'hostile-bodies' || which === 'all') results.hostileBodies = await benchHostileBodies(Number(values['settle-seconds']));
if (which === 'startup' || which === 'all') results.startup = await benchStartup(Number(values['startup-rounds']));
console.log(JSON.stringify(results, null, 2));
