/**
 * A small writer of SPSS system files (`.sav`), uncompressed, following PSPP's documentation of
 * the format: file header, variable records (type 2), value labels (types 3 and 4), machine
 * integer and float info (type 7 subtypes 3 and 4), display parameters (11), long variable names
 * (13), character encoding (20, UTF-8) and the dictionary terminator (999), then the cases.
 */

/** One variable of a system file. Names must already be valid and unique (see `savNames`). */
export interface SavVariable {
  /** Long name (up to 64 bytes). */
  name: string;
  /** Short name (up to 8 bytes, upper case, unique). */
  shortName: string;
  label?: string;
  type: 'numeric' | 'string';
  /** String width in bytes, 1–255. */
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
  const slots = file.variables.map((v) => (v.type === 'string' ? Math.ceil(widthOf(v) / 8) : 1));
  const caseSize = slots.reduce((a, b) => a + b, 0);
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

  // Variable records; a string wider than 8 bytes continues over more 8-byte slots.
  for (const v of file.variables) {
    const width = v.type === 'string' ? widthOf(v) : 0;
    const format =
      v.type === 'string'
        ? (FMT_A << 16) | (width << 8)
        : (FMT_F << 16) | (Math.max(8, Math.min(40, 8 + (v.decimals ?? 0))) << 8) | (v.decimals ?? 0);
    const missing = v.type === 'numeric' ? (v.missing ?? []).slice(0, 3) : [];
    const label = v.label ? truncateUtf8(v.label, 255) : undefined;
    out.int32(2);
    out.int32(width);
    out.int32(label ? 1 : 0);
    out.int32(missing.length);
    out.int32(format);
    out.int32(format);
    out.text(v.shortName, 8);
    if (label) {
      const bytes = Buffer.from(label, 'utf8');
      out.int32(bytes.length);
      out.bytes(bytes);
      out.zeros(pad(bytes.length, 4));
    }
    for (const m of missing) out.float64(m);
    for (let i = 1; i < Math.ceil(width / 8); i++) {
      out.int32(2);
      out.int32(-1);
      out.int32(0);
      out.int32(0);
      out.int32(0x011d0100); // A29 placeholder, as SPSS writes
      out.int32(0x011d0100);
      out.text('', 8);
    }
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
  file.variables.forEach((v, i) => {
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
    index += slots[i]!;
  });

  // Machine integer info: version 1.6.2, IEEE floats, little-endian, UTF-8 (code page 65001).
  extension(out, 3, 4, [1, 6, 2, -1, 1, 1, 2, 65001], 'int32');
  // Machine float info: system-missing, highest, lowest.
  extension(out, 4, 8, [SYSMIS, Number.MAX_VALUE, nextUp(SYSMIS)], 'float64');
  // Display parameters: measure, width, alignment for each variable.
  extension(
    out,
    11,
    4,
    file.variables.flatMap((v) => [
      MEASURE[v.measure],
      v.type === 'string' ? Math.min(widthOf(v), 40) : 8,
      v.type === 'string' ? 0 : 1,
    ]),
    'int32',
  );
  // Long variable names and the character encoding.
  rawExtension(
    out,
    13,
    Buffer.from(file.variables.map((v) => `${v.shortName}=${v.name}`).join('\t'), 'utf8'),
  );
  rawExtension(out, 20, Buffer.from('UTF-8', 'ascii'));

  out.int32(999);
  out.int32(0);

  // Cases.
  for (const c of file.cases) {
    file.variables.forEach((v, i) => {
      const value = c[i] ?? null;
      if (v.type === 'numeric') {
        out.float64(typeof value === 'number' && Number.isFinite(value) ? value : SYSMIS);
      } else {
        const text = truncateUtf8(value === null ? '' : String(value), widthOf(v));
        out.text(text, slots[i]! * 8);
      }
    });
  }
  return out.buffer();
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
  return Math.max(1, Math.min(255, v.width ?? 8));
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
