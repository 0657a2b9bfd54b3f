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
  'imei',
  'uri:deviceid',
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
  'hidden',
  'xml-external',
  'csv-external',
  'select_one_from_file',
  'select_multiple_from_file',
  'select_one_external',
  'osm',
]);

/** pyxform's other spellings of a type. */
const ALIASES: Record<string, string> = {
  int: 'integer',
  string: 'text',
  'phone number': 'phonenumber',
  'device id': 'deviceid',
  'subscriber id': 'subscriberid',
  'sim serial': 'simserial',
  'start time': 'start',
  'end time': 'end',
  trigger: 'acknowledge',
  'add note prompt': 'note',
  location: 'geopoint',
  gps: 'geopoint',
  'q location': 'geopoint',
  photo: 'image',
  'q picture': 'image',
  'q audio': 'audio',
  'q video': 'video',
  'q geopoint': 'geopoint',
  begin_group: 'begin group',
  end_group: 'end group',
  begin_repeat: 'begin repeat',
  end_repeat: 'end repeat',
  begin_loop: 'begin loop',
  end_loop: 'end loop',
  'select one external': 'select_one_external',
};

/** A type cell read: its normalised type, its list (selects, rank) and whether it adds "Other". */
export interface XlsformType {
  /** `select_one`, `select_multiple`, `rank`, `begin group`, `integer`, … */
  type: string;
  list?: string;
  orOther: boolean;
}

/**
 * Reads a type cell as pyxform does: `select_one x`, `select one x`, `select one from x`,
 * `select all that apply x`, a trailing `or_other` / `or specify other`, `begin_group`,
 * `phone number`, `int`…
 */
export function parseXlsformType(raw: string): XlsformType {
  let t = raw.replace(/\s+/g, ' ').trim();
  let orOther = false;
  const other = / (or_other|or specify other)$/i.exec(t);
  if (other) {
    orOther = true;
    t = t.slice(0, other.index).trim();
  }
  const select = /^(select[ _]one|select[ _]multiple|select all that apply|rank)(?:[ _]from)? (\S+)$/i.exec(
    t,
  );
  if (select) {
    const head = select[1]!.toLowerCase().replace(' ', '_');
    const type =
      head === 'select_all that apply' || head === 'select_multiple'
        ? 'select_multiple'
        : head === 'rank'
          ? 'rank'
          : 'select_one';
    return { type, list: select[2]!, orOther };
  }
  // pyxform's `begin loop over LIST`: the questions inside, asked once per choice of LIST.
  const loop = /^begin[ _]loop(?: over)? (\S+)$/i.exec(t);
  if (loop) return { type: 'begin loop', list: loop[1]!, orOther };
  const fromFile = /^(select_one_from_file|select_multiple_from_file|select_one_external) /i.exec(t);
  if (fromFile) return { type: fromFile[1]!.toLowerCase(), orOther };
  const lower = t.toLowerCase();
  if (ALIASES[lower]) return { type: ALIASES[lower], orOther };
  // `osm list`, `geopoint x`: an unsupported type keeps its own name, whatever follows it.
  const head = lower.split(' ')[0]!;
  if (XLSFORM_UNSUPPORTED.has(head)) return { type: head, orOther };
  return { type: lower, orOther };
}
