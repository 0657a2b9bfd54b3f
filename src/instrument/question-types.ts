/**
 * The element types an instrument may use: every type here has a codebook mapping
 * (see `deriveCodebook`). Anything else is rejected by `checkInstrument`.
 */
export const QUESTION_TYPES = {
  radiogroup: 'single',
  dropdown: 'single',
  checkbox: 'multiple',
  tagbox: 'multiple',
  text: 'text',
  comment: 'text',
  boolean: 'boolean',
  rating: 'ordinal',
  matrix: 'matrix',
  paneldynamic: 'text_list',
  ranking: 'ranking',
  matrixdropdown: 'matrixdropdown',
  expression: 'expression',
} as const;

/** Layout elements: allowed, but they hold no answer. */
export const LAYOUT_TYPES = new Set(['panel', 'html']);

/**
 * Types allowed inside a dynamic panel's template (each becomes one text_list variable: the
 * entries' answers as texts).
 */
export const TEMPLATE_TYPES = new Set([
  'text',
  'comment',
  'radiogroup',
  'dropdown',
  'checkbox',
  'tagbox',
  'boolean',
  'rating',
  'expression',
  'html',
]);

export function isQuestionType(type: string): type is keyof typeof QUESTION_TYPES {
  return Object.hasOwn(QUESTION_TYPES, type);
}
