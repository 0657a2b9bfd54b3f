/**
 * `npm run bench -- synthetic [--respondents 2000]`: synthetic responses drawn from a
 * questionnaire and each checked by the server's own validation (`cairnet demo --from`), per
 * second, on Cairnet's questionnaire (validated by the compiled rules) and on the own-survey
 * XLSForm of test/e2e (validated by a survey-core Model, as every imported questionnaire is).
 */
import { ResponseDrawer, respondentRandom, syntheticResponses } from '../src/demo/synthetic-responses.js';
import { importInstrumentBuffer } from '../src/instrument/importers/import-instrument.js';
import { loadCairnetInstrument } from '../src/instrument/load-instrument.js';
import type { InstrumentJson } from '../src/instrument/types.js';
import { STAFF_FORM } from '../test/fixtures/imports/staff-form.js';
import { buildXlsform } from '../test/fixtures/imports/xlsform-builder.js';

const arg = process.argv.indexOf('--respondents');
const n = arg > 0 ? Number(process.argv[arg + 1]) : 2000;

function measure(label: string, json: InstrumentJson, count: number): void {
  syntheticResponses(json, { respondents: Math.min(100, count), seed: 1, lang: 'fr' }); // warm-up
  const drawer = new ResponseDrawer(json, { lang: 'fr' });
  let t0 = performance.now();
  for (let i = 0; i < count; i++) drawer.draw(respondentRandom(2, i));
  const drawOnly = (performance.now() - t0) / count;
  t0 = performance.now();
  const responses = syntheticResponses(json, { respondents: count, seed: 2, lang: 'fr' });
  const ms = performance.now() - t0;
  const draws = responses.reduce((s, r) => s + r.draws, 0);
  console.log(
    `${label.padEnd(34)} ${String(count).padStart(6)} responses in ${(ms / 1000).toFixed(2).padStart(6)} s: ` +
      `${Math.round((1000 * count) / ms)
        .toString()
        .padStart(6)} responses/s generated+validated ` +
      `(drawing alone ${(drawOnly * 1000).toFixed(0)} µs each; ${(draws / count).toFixed(2)} draws per response)`,
  );
}

measure("Cairnet's questionnaire (compiled)", loadCairnetInstrument().json, n);
const staff = (await importInstrumentBuffer(await buildXlsform(STAFF_FORM), 'staff.xlsx')).instrument.json;
measure('own-survey XLSForm (Model)', staff, Math.max(50, Math.round(n / 20)));
