/** Values LimeSurvey stores for an attribute left at its default (not reported when dropped). */
const DEFAULTS: Record<string, string[]> = {
  showpopups: ['1'],
  samechoiceheight: ['1'],
  samelistheight: ['1'],
  statistics_showgraph: ['1'],
  assessment_value: ['1'],
  em_validation_q: ['1'],
  em_validation_sq: ['1'],
  other_position: ['default', 'end'],
  answer_order: ['normal'],
  subquestion_order: ['normal'],
  question_template: ['core'],
  location_mapservice: ['0', '1'],
  dropdown_prefix: ['0'],
  time_limit_action: ['1'],
  date_format: [''],
  dualscale_headerA: [''],
  // Image answers (List with images): 200 px high, LimeSurvey's default on every list question.
  fix_height: ['200'],
};

/** Attributes that only concern LimeSurvey's own statistics or editor: never reported. */
const IRRELEVANT =
  /^(statistics_|public_statistics|save_as_default|clear_default|printable_help|scale_export|encrypted|hide_tip|cssclass|location_)/;

/** Whether a LimeSurvey attribute value is its default (or empty), so that losing it loses nothing. */
export function isDefaultAttribute(name: string, value: string): boolean {
  const v = value.trim();
  if (IRRELEVANT.test(name)) return true;
  if (DEFAULTS[name]?.includes(v)) return true;
  return v === '' || v === '0' || v === 'N' || v === 'normal' || v === 'default';
}
