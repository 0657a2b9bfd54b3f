/**
 * A small writer of SPSS system files (`.sav`), uncompressed, following PSPP's documentation of
 * the format: file header, variable records (type 2), value labels (types 3 and 4), machine
 * integer and float info (type 7 subtypes 3 and 4), display parameters (11), long variable names
 * (13), very long strings (14), character encoding (20, UTF-8) and the dictionary terminator
 * (999), then the cases.
 */

/** One variable of a system file. Names must already be valid and unique (see `savNames`). */
export interface SavVariable {
  /** Long name (up to 64 bytes). */
  name: string;
  /** Short name (up to 8 bytes, upper case, unique). */
  shortName: string;
  label?: string;
  type: 'numeric' | 'string';
  /** String width in bytes, 1–32767 (over 255: a very long string, written in segments). */
  width?: number;
  /** Decimals of a numeric variable's F format. */
  decimals?: number;
  measure: 'nominal' | 'ordinal' | 'scale';
  /** Value labels of a numeric variable. */
  valueLabels?: { value: number; label: string }[];
  /** Up to three discrete user-missing values of a numeric variable. */
  missing?: number[];
}

export interface SavFile {
  /** File label (up to 64 bytes). */
  label: string;
  variables: SavVariable[];
  /** One array per case, in variable order: numbers (null is system-missing) or strings. */
  cases: (number | string | null)[][];
  /** Document lines (type 6 record), each cut at 80 bytes. */
  documents?: string[];
  created?: Date;
}

const SYSMIS = -Number.MAX_VALUE;
const MEASURE = { nominal: 1, ordinal: 2, scale: 3 } as const;
const FMT_F = 5;
const FMT_A = 1;

/**
 * Encodes a system file.
 *
 * @example writeFileSync('x.sav', writeSav({ label: 'demo', variables, cases }));
 */
export function writeSav(file: SavFile): Buffer {
  const out = new ByteWriter();
  const layouts = layoutVariables(file.variables);
  const caseSize = layouts.reduce((a, l) => a + l.segments.reduce((b, seg) => b + seg.slots, 0), 0);
  const created = file.created ?? new Date();

  // File header.
  out.text('$FL2', 4);
  out.text('@(#) SPSS DATA FILE Cairnet', 60);
  out.int32(2);
  out.int32(caseSize);
  out.int32(0); // uncompressed
  out.int32(0); // no weight variable
  out.int32(file.cases.length);
  out.float64(100);
  out.text(savDate(created), 9);
  out.text(created.toTimeString().slice(0, 8), 8);
  out.text(file.label, 64);
  out.zeros(3);

  // Variable records: one per segment (a string over 255 bytes has several), each followed by
  // continuation records for its 8-byte slots beyond the first.
  for (const { variable: v, segments } of layouts) {
    segments.forEach((seg, k) => {
      const format =
        v.type === 'string'
          ? (FMT_A << 16) | (seg.width << 8)
          : (FMT_F << 16) | (Math.max(8, Math.min(40, 8 + (v.decimals ?? 0))) << 8) | (v.decimals ?? 0);
      const missing = v.type === 'numeric' ? (v.missing ?? []).slice(0, 3) : [];
      const label = k === 0 && v.label ? truncateUtf8(v.label, 255) : undefined;
      out.int32(2);
      out.int32(v.type === 'string' ? seg.width : 0);
      out.int32(label ? 1 : 0);
      out.int32(missing.length);
      out.int32(format);
      out.int32(format);
      out.text(seg.shortName, 8);
      if (label) {
        const bytes = Buffer.from(label, 'utf8');
        out.int32(bytes.length);
        out.bytes(bytes);
        out.zeros(pad(bytes.length, 4));
      }
      for (const m of missing) out.float64(m);
      for (let i = 1; i < seg.slots; i++) {
        out.int32(2);
        out.int32(-1);
        out.int32(0);
        out.int32(0);
        out.int32(0);
        out.int32(0);
        out.text('', 8);
      }
    });
  }

  // Documents (type 6): 80-byte lines.
  const documents = (file.documents ?? []).flatMap((d) => wrap(d, 80));
  if (documents.length > 0) {
    out.int32(6);
    out.int32(documents.length);
    for (const line of documents) out.text(line, 80);
  }

  // Value labels (type 3) and the variable they belong to (type 4), one pair per variable.
  let index = 1;
  for (const { variable: v, segments } of layouts) {
    const labels = v.type === 'numeric' ? (v.valueLabels ?? []) : [];
    if (labels.length > 0) {
      out.int32(3);
      out.int32(labels.length);
      for (const l of labels) {
        out.float64(l.value);
        const bytes = Buffer.from(truncateUtf8(l.label, 120), 'utf8');
        out.uint8(bytes.length);
        out.bytes(bytes);
        out.zeros(pad(bytes.length + 1, 8));
      }
      out.int32(4);
      out.int32(1);
      out.int32(index);
    }
    index += segments.reduce((a, seg) => a + seg.slots, 0);
  }

  // Machine integer info: version 1.6.2, IEEE floats, little-endian, UTF-8 (code page 65001).
  extension(out, 3, 4, [1, 6, 2, -1, 1, 1, 2, 65001], 'int32');
  // Machine float info: system-missing, highest, lowest.
  extension(out, 4, 8, [SYSMIS, Number.MAX_VALUE, nextUp(SYSMIS)], 'float64');
  // Display parameters: measure, width, alignment for each segment of each variable.
  extension(
    out,
    11,
    4,
    layouts.flatMap(({ variable: v, segments }) =>
      segments.flatMap(() => [
        MEASURE[v.measure],
        v.type === 'string' ? Math.min(widthOf(v), 40) : 8,
        v.type === 'string' ? 0 : 1,
      ]),
    ),
    'int32',
  );
  // Long variable names, very long string widths, and the character encoding.
  rawExtension(
    out,
    13,
    Buffer.from(layouts.map((l) => `${l.segments[0]!.shortName}=${l.variable.name}`).join('\t'), 'utf8'),
  );
  const veryLong = layouts.filter((l) => l.segments.length > 1);
  if (veryLong.length > 0) {
    rawExtension(
      out,
      14,
      Buffer.from(
        veryLong
          .map((l) => `${l.segments[0]!.shortName}=${String(widthOf(l.variable)).padStart(5, '0')}\u0000\t`)
          .join(''),
        'utf8',
      ),
    );
  }
  rawExtension(out, 20, Buffer.from('UTF-8', 'ascii'));

  out.int32(999);
  out.int32(0);

  // Cases: a very long string is cut into 255-byte pieces, one per segment.
  for (const c of file.cases) {
    layouts.forEach(({ variable: v, segments }, i) => {
      const value = c[i] ?? null;
      if (v.type === 'numeric') {
        out.float64(typeof value === 'number' && Number.isFinite(value) ? value : SYSMIS);
        return;
      }
      const bytes = Buffer.from(truncateUtf8(value === null ? '' : String(value), widthOf(v)), 'utf8');
      segments.forEach((seg, k) => {
        const piece = Buffer.alloc(seg.slots * 8, 0x20);
        if (k * 255 < bytes.length)
          bytes.copy(piece, 0, k * 255, Math.min(bytes.length, k * 255 + seg.width));
        out.bytes(piece);
      });
    });
  }
  return out.buffer();
}

/** Widest string a system file holds (a very long string). */
export const MAX_STRING_WIDTH = 32767;

interface Segment {
  shortName: string;
  width: number;
  slots: number;
}

/** Splits each variable into its segments (PSPP: a very long string of width w has ceil(w/252)). */
function layoutVariables(variables: SavVariable[]): { variable: SavVariable; segments: Segment[] }[] {
  const taken = new Set(variables.map((v) => v.shortName.toUpperCase()));
  return variables.map((v) => {
    if (v.type === 'numeric')
      return { variable: v, segments: [{ shortName: v.shortName, width: 0, slots: 1 }] };
    const w = widthOf(v);
    if (w <= 255)
      return { variable: v, segments: [{ shortName: v.shortName, width: w, slots: Math.ceil(w / 8) }] };
    const n = Math.ceil(w / 252);
    const segments: Segment[] = [];
    for (let k = 0; k < n; k++) {
      const width = k < n - 1 ? 255 : w - (n - 1) * 252;
      let shortName = v.shortName;
      if (k > 0) {
        for (let i = k; ; i++) {
          const suffix = String(i);
          shortName = `${v.shortName.slice(0, 8 - suffix.length)}${suffix}`;
          if (!taken.has(shortName)) break;
        }
        taken.add(shortName);
      }
      segments.push({ shortName, width, slots: Math.ceil(width / 8) });
    }
    return { variable: v, segments };
  });
}

/** The longest prefix of `s` that fits in `max` bytes of UTF-8 without splitting a character. */
export function truncateUtf8(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  let out = '';
  let n = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (n + b > max) break;
    out += ch;
    n += b;
  }
  return out;
}

/** Splits text into lines of at most `max` bytes, at spaces where possible. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (Buffer.byteLength(next) <= max) line = next;
    else {
      if (line !== '') lines.push(line);
      line = truncateUtf8(word, max);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function widthOf(v: SavVariable): number {
  return Math.max(1, Math.min(MAX_STRING_WIDTH, v.width ?? 8));
}

function pad(n: number, unit: number): number {
  return (unit - (n % unit)) % unit;
}

function savDate(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${String(d.getDate()).padStart(2, '0')} ${months[d.getMonth()]} ${String(d.getFullYear() % 100).padStart(2, '0')}`;
}

function nextUp(x: number): number {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  b.writeBigUInt64LE(b.readBigUInt64LE() - 1n);
  return b.readDoubleLE();
}

function extension(
  out: ByteWriter,
  subtype: number,
  size: 4 | 8,
  values: number[],
  kind: 'int32' | 'float64',
) {
  out.int32(7);
  out.int32(subtype);
  out.int32(size);
  out.int32(values.length);
  for (const v of values) {
    if (kind === 'int32') out.int32(v);
    else out.float64(v);
  }
}

function rawExtension(out: ByteWriter, subtype: number, data: Buffer): void {
  out.int32(7);
  out.int32(subtype);
  out.int32(1);
  out.int32(data.length);
  out.bytes(data);
}

class ByteWriter {
  private chunks: Buffer[] = [];

  int32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.chunks.push(b);
  }
  uint8(v: number): void {
    this.chunks.push(Buffer.from([v]));
  }
  float64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.chunks.push(b);
  }
  /** UTF-8 text, space-padded (or cut) to exactly `length` bytes. */
  text(s: string, length: number): void {
    const b = Buffer.alloc(length, 0x20);
    Buffer.from(truncateUtf8(s, length), 'utf8').copy(b);
    this.chunks.push(b);
  }
  bytes(b: Buffer): void {
    this.chunks.push(b);
  }
  zeros(n: number): void {
    if (n > 0) this.chunks.push(Buffer.alloc(n));
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
