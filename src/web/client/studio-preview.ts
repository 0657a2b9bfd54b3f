// A questionnaire version previewed as respondents see it: the form in the language chosen,
// with no draft saved and no response sent (completing it only says so).
import type * as SurveyCore from 'survey-core';
import { byId } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

/** survey-core's bundle (window.Survey); survey-js-ui adds render() to its Model. */
declare const Survey: typeof SurveyCore;
type Model = SurveyCore.Model & { render(el: HTMLElement | null): void };

const box = byId('preview');
const status = byId('preview-status');
const { messages } = studio();

async function start(): Promise<void> {
  const res = await fetch(box.dataset.src!);
  if (!res.ok) throw new Error(`${res.status}`);
  Survey.settings.titleTags.page = 'h2';
  Survey.settings.titleTags.panel = 'h3';
  const survey = new Survey.Model(await res.json()) as Model;
  survey.locale = box.dataset.form ?? '';
  survey.showTitle = true;
  // The respondents' theme (see respond.ts): the same colours, contrast kept above 4.5:1.
  survey.applyTheme({
    cssVariables: {
      '--sjs-primary-backcolor': '#1b4f8a',
      '--sjs-primary-backcolor-dark': '#143c69',
      '--sjs-primary-backcolor-light': 'rgba(27, 79, 138, 0.1)',
      '--sjs-general-forecolor-light': 'rgba(0, 0, 0, 0.66)',
      '--sjs-general-dim-forecolor-light': 'rgba(0, 0, 0, 0.66)',
      '--sjs-font-size': '16px',
    },
    isPanelless: false,
  });
  survey.onCompleting.add((_s, options) => {
    options.allow = false;
    status.textContent = messages.done ?? '';
  });
  survey.render(box);
}

start().catch((e: Error) => {
  status.textContent = `Error: ${e.message}`;
});
