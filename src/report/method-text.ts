import type { Lang } from './number-format.js';

/**
 * The methods of indicators, tests and typologies in the reader's language. The plan engine
 * names its methods in English, after the R functions they match ("proportion with Wilson
 * interval (as prop.test, correct = FALSE)"); outputs say them here, for two audiences: the
 * survey team (`technical`: the estimator and its R reference) and the public (`plain`: no R
 * names, no jargon). `level(code)` gives a level's wording (bracket bounds are codes).
 */
export type Audience = 'technical' | 'plain';

interface Rule {
  match: RegExp;
  say: (m: RegExpExecArray, lang: Lang, audience: Audience, level: (code: string) => string) => string;
}

const WILSON = /proportion with Wilson interval \(as prop\.test, correct = FALSE\)/;

const wilson = (lang: Lang, a: Audience) =>
  a === 'plain'
    ? lang === 'fr'
      ? 'part des répondants concernés, avec sa marge d’erreur'
      : 'share of the respondents concerned, with its margin of error'
    : lang === 'fr'
      ? 'proportion avec intervalle de Wilson (comme prop.test, correct = FALSE)'
      : 'proportion with Wilson interval (as prop.test, correct = FALSE)';

const RULES: Rule[] = [
  {
    match: /^share of brackets (below|from) "([^"]*)" \(exact at a bracket bound\), (.*)$/,
    say: (m, lang, a, level) => {
      // Marked as quoted from the instrument (its numbers are wording, not figures): see methodHtml.
      const bound = `\uE010${level(m[2]!)}\uE011`;
      const rest = methodText(m[3]!, lang, a, level);
      if (lang === 'fr')
        return `part des tranches ${m[1] === 'below' ? 'inférieures à' : 'à partir de'} « ${bound} » (exacte à une borne de tranche), ${rest}`;
      return `share of the brackets ${m[1] === 'below' ? 'below' : 'from'} “${bound}” (exact at a bracket bound), ${rest}`;
    },
  },
  { match: new RegExp(`^${WILSON.source}$`), say: (_m, lang, a) => wilson(lang, a) },
  // an indicator waiting for a variable not computed yet (a pending typology)
  { match: /^not computed$/, say: (_m, lang) => (lang === 'fr' ? 'non calculé' : 'not computed') },
  {
    match: /^design-based proportion \(as svymean\) with logit interval/,
    say: (_m, lang, a) =>
      a === 'plain'
        ? lang === 'fr'
          ? 'part pondérée des répondants concernés, avec sa marge d’erreur'
          : 'weighted share of the respondents concerned, with its margin of error'
        : lang === 'fr'
          ? 'proportion sous le plan de sondage (comme svymean), intervalle logit (comme svyciprop, method = "logit")'
          : 'design-based proportion (as svymean) with logit interval (as svyciprop, method = "logit")',
  },
  {
    match: /^distinct associations after reconciliation/,
    say: (_m, lang) =>
      lang === 'fr'
        ? 'associations distinctes, une fois les noms cités rapprochés du registre'
        : 'distinct associations, once the names cited are matched against the registry',
  },
  {
    match: /^Pearson's chi-squared test( with Yates' continuity correction)?/,
    say: (m, lang, a) => {
      if (a === 'plain')
        return lang === 'fr'
          ? 'test de l’écart entre les groupes (khi-deux)'
          : 'test of the difference between the groups (chi-squared)';
      const yates = m[1]
        ? lang === 'fr'
          ? ' avec correction de Yates'
          : " with Yates' continuity correction"
        : '';
      return lang === 'fr'
        ? `test du khi-deux de Pearson${yates} (comme chisq.test)`
        : `Pearson's chi-squared test${yates} (as chisq.test)`;
    },
  },
  {
    match: /^Pearson's X²: Rao & Scott adjustment/,
    say: (_m, lang, a) =>
      a === 'plain'
        ? lang === 'fr'
          ? 'test de l’écart entre les groupes, tenant compte de la pondération'
          : 'test of the difference between the groups, allowing for the weights'
        : lang === 'fr'
          ? 'khi-deux de Pearson avec correction de Rao et Scott (F)'
          : "Pearson's X² with Rao & Scott adjustment (F)",
  },
  {
    match: /^Fisher's exact test/,
    say: (_m, lang, a) =>
      a === 'plain'
        ? lang === 'fr'
          ? 'test exact de l’écart entre les groupes'
          : 'exact test of the difference between the groups'
        : lang === 'fr'
          ? 'test exact de Fisher (rapport de cotes par maximum de vraisemblance conditionnel)'
          : "Fisher's exact test (conditional MLE odds ratio)",
  },
  {
    match: /^ratio of two proportions with log \(Katz\) interval/,
    say: (_m, lang, a) =>
      a === 'plain'
        ? lang === 'fr'
          ? 'combien de fois plus fréquent dans un groupe que dans l’autre, avec sa marge d’erreur'
          : 'how many times as frequent in one group as in the other, with its margin of error'
        : lang === 'fr'
          ? 'rapport de deux proportions, intervalle logarithmique (Katz)'
          : 'ratio of two proportions with log (Katz) interval',
  },
  {
    match:
      /^MCA on (\d+) active variables \((\d+) dimensions\) then Ward clustering into (\d+) clusters with k-means consolidation \(as FactoMineR MCA \+ HCPC\)(?:, on the (\d+) distinct answer patterns weighted by their counts)?; clusters named by marker answers$/,
    say: (m, lang, a) => {
      if (a === 'plain')
        return lang === 'fr'
          ? `Les répondants sont regroupés en ${m[3]} profils selon leurs réponses à ${m[1]} questions d’opinion : ceux d’un même profil ont répondu de façon semblable.`
          : `Respondents are grouped into ${m[3]} profiles by their answers to ${m[1]} opinion questions: those in one profile answered alike.`;
      const patterns = m[4]
        ? lang === 'fr'
          ? `, sur les ${m[4]} combinaisons de réponses distinctes pondérées par leurs effectifs`
          : `, on the ${m[4]} distinct answer patterns weighted by their counts`
        : '';
      return lang === 'fr'
        ? `ACM sur ${m[1]} variables actives (${m[2]} dimensions) puis classification de Ward en ${m[3]} classes consolidée par les k-moyennes (comme MCA + HCPC de FactoMineR)${patterns} ; classes nommées d’après leurs réponses caractéristiques`
        : `MCA on ${m[1]} active variables (${m[2]} dimensions) then Ward clustering into ${m[3]} clusters with k-means consolidation (as FactoMineR MCA + HCPC)${patterns}; clusters named by marker answers`;
    },
  },
];

/** A method in the reader's language; a method no rule knows is returned as written. */
export function methodText(
  method: string,
  lang: Lang,
  audience: Audience = 'technical',
  level: (code: string) => string = (c) => c,
): string {
  for (const rule of RULES) {
    const m = rule.match.exec(method);
    if (m) return rule.say(m, lang, audience, level);
  }
  return method;
}
