/** XLSForm question types Cairnet carries over (after `select_one`/`select_multiple` are split off). */
export const XLSFORM_CARRIED = new Set([
  'text',
  'integer',
  'decimal',
  'note',
  'date',
  'time',
  'datetime',
  'range',
  'acknowledge',
  'calculate',
  'begin group',
  'end group',
  'begin repeat',
  'end repeat',
]);

/** Metadata the phone or server fills in: not questions, so not carried. */
export const XLSFORM_METADATA = new Set([
  'start',
  'end',
  'today',
  'deviceid',
  'subscriberid',
  'simserial',
  'phonenumber',
  'username',
  'email',
  'audit',
  'start-geopoint',
  'background-audio',
  'background-geopoint',
]);

/** Real XLSForm types with no SurveyJS equivalent in Cairnet: skipped and reported. */
export const XLSFORM_UNSUPPORTED = new Set([
  'geopoint',
  'geotrace',
  'geoshape',
  'image',
  'audio',
  'video',
  'file',
  'barcode',
  'rank',
  'hidden',
  'trigger',
  'xml-external',
  'csv-external',
  'select_one_from_file',
  'select_multiple_from_file',
  'select_one_external',
]);
