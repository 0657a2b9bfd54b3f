/**
 * `npm run bench -- validate`: server-side validation of completed Cairnet responses, the
 * compiled completion rules against a survey-core Model (the reference engine), from the same run.
 */
import { generatePanel } from '../src/demo/index.js';
import { loadCairnetInstrument } from '../src/instrument/load-instrument.js';
import { validateAnswers } from '../src/responses/validate-answers.js';

const { json, hash } = loadCairnetInstrument();
const panel = generatePanel({ respondents: 651, seed: 2013 }).map((r) => r.data);
const record = json as Record<string, unknown>;

function time(engine: 'compiled' | 'model', n: number): number {
  for (let i = 0; i < 50; i++)
    validateAnswers(record, hash, panel[i % panel.length], { complete: true, engine });
  const t0 = performance.now();
  for (let i = 0; i < n; i++)
    validateAnswers(record, hash, panel[i % panel.length], { complete: true, engine });
  return (performance.now() - t0) / n;
}
const model = time('model', 300);
const compiled = time('compiled', 5000);
console.log(`validation of a completed Cairnet response (651-response panel, cycled)`);
console.log(`  survey-core Model (reference): ${(model * 1000).toFixed(0).padStart(7)} µs per response`);
console.log(`  compiled rules               : ${(compiled * 1000).toFixed(0).padStart(7)} µs per response`);
console.log(`  ratio Model / compiled       : ${(model / compiled).toFixed(1)}×`);
