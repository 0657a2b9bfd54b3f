const RESERVED = new Set(['ALL', 'AND', 'BY', 'EQ', 'GE', 'GT', 'LE', 'LT', 'NE', 'NOT', 'OR', 'TO', 'WITH']);

/**
 * SPSS names for a list of column names: long names (letters, digits, `_`, `.`, starting with a
 * letter, at most 64 bytes, unique regardless of case, not a reserved word) and the 8-byte short
 * names a system file also needs. Names that are already valid are kept as they are.
 *
 * @example savNames(['funding_use__seed']) // [{ name: 'funding_use__seed', shortName: 'FUNDING_' }]
 */
export function savNames(columns: string[]): { name: string; shortName: string }[] {
  const longSeen = new Set<string>();
  const shortSeen = new Set<string>();
  return columns.map((column) => {
    let base = column.replace(/[^A-Za-z0-9_.]/g, '_').replace(/\.$/, '_');
    if (!/^[A-Za-z]/.test(base)) base = `v${base}`;
    base = base.slice(0, 60);
    if (RESERVED.has(base.toUpperCase())) base = `${base}_`;
    let name = base;
    for (let i = 2; longSeen.has(name.toUpperCase()); i++) name = `${base}_${i}`;
    longSeen.add(name.toUpperCase());

    const stem = name.toUpperCase().replace(/\./g, '_').slice(0, 8);
    let shortName = stem;
    for (let i = 1; shortSeen.has(shortName); i++) {
      const suffix = String(i);
      shortName = `${stem.slice(0, 8 - suffix.length)}${suffix}`;
    }
    shortSeen.add(shortName);
    return { name, shortName };
  });
}
