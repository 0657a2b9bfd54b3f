/** How each LimeSurvey question type becomes SurveyJS. */
export type LssKind =
  | 'list'
  | 'dropdown'
  | 'list_comment'
  | 'multiple'
  | 'multiple_comment'
  | 'yes_no'
  | 'gender'
  | 'five_point'
  | 'short_text'
  | 'long_text'
  | 'numeric'
  | 'date'
  | 'display'
  | 'multi_numeric'
  | 'multi_text'
  | 'array'
  | 'array_5'
  | 'array_10'
  | 'array_yun'
  | 'array_isd'
  | 'array_column'
  | 'array_numbers'
  | 'array_texts'
  | 'dual_scale'
  | 'ranking'
  | 'equation'
  | 'unsupported';

/** LimeSurvey's one-character question types. */
export const LSS_TYPES: Record<string, { kind: LssKind; label: string }> = {
  L: { kind: 'list', label: 'List (radio)' },
  '!': { kind: 'dropdown', label: 'List (dropdown)' },
  O: { kind: 'list_comment', label: 'List with comment' },
  M: { kind: 'multiple', label: 'Multiple choice' },
  P: { kind: 'multiple_comment', label: 'Multiple choice with comments' },
  Y: { kind: 'yes_no', label: 'Yes/No' },
  G: { kind: 'gender', label: 'Gender' },
  '5': { kind: 'five_point', label: '5 point choice' },
  S: { kind: 'short_text', label: 'Short free text' },
  T: { kind: 'long_text', label: 'Long free text' },
  U: { kind: 'long_text', label: 'Huge free text' },
  N: { kind: 'numeric', label: 'Numerical input' },
  D: { kind: 'date', label: 'Date/Time' },
  X: { kind: 'display', label: 'Text display' },
  K: { kind: 'multi_numeric', label: 'Multiple numerical input' },
  Q: { kind: 'multi_text', label: 'Multiple short text' },
  F: { kind: 'array', label: 'Array' },
  A: { kind: 'array_5', label: 'Array (5 point choice)' },
  B: { kind: 'array_10', label: 'Array (10 point choice)' },
  C: { kind: 'array_yun', label: 'Array (Yes/Uncertain/No)' },
  E: { kind: 'array_isd', label: 'Array (Increase/Same/Decrease)' },
  H: { kind: 'array_column', label: 'Array by column' },
  '1': { kind: 'dual_scale', label: 'Array dual scale' },
  ':': { kind: 'array_numbers', label: 'Array (Numbers)' },
  ';': { kind: 'array_texts', label: 'Array (Texts)' },
  R: { kind: 'ranking', label: 'Ranking' },
  '*': { kind: 'equation', label: 'Equation' },
  '|': { kind: 'unsupported', label: 'File upload' },
  I: { kind: 'unsupported', label: 'Language switch' },
};
