import type { Lang } from './number-format.js';

/**
 * The neutral press release of a survey without its own template (`instruments/<name>/
 * press-release.<lang>.md`): the number of respondents and where the results are. Every number
 * is bound, as in any template.
 */
export const DEFAULT_PRESS_RELEASE: Record<Lang, string> = {
  fr: `# Premiers résultats de l’enquête

{{date}}

**{{respondents}} personnes ont répondu à l’enquête.** Les résultats, question par question, avec leurs bases et leurs intervalles de confiance, figurent dans le rapport de l’enquête.
`,
  en: `# First results of the survey

{{date}}

**{{respondents}} people answered the survey.** The results, question by question, with their bases and confidence intervals, are in the survey's report.
`,
};
