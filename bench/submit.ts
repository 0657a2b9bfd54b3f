/**
 * `npm run bench -- submit`: completed Cairnet responses per second through HTTP on SQLite,
 * against a bare Fastify route inserting the same row with no validation (the ratio is the
 * figure). Options: --total N (5000), --concurrency C (50), --dialect sqlite|postgres.
 */
import { option, printFigures, runSubmissions } from './_submissions.js';

const total = Number(option('total', '5000'));
const concurrency = Number(option('concurrency', '50'));
const dialect = option('dialect', 'sqlite') === 'postgres' ? 'postgres' : 'sqlite';
printFigures(await runSubmissions({ dialect, total, concurrency }), total, concurrency);
