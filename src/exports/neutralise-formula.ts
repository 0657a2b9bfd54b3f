/**
 * Spreadsheet formula injection: a cell beginning with = + - @ (or a tab or carriage return) is
 * run as a formula by Excel and LibreOffice. Such text cells get a leading apostrophe, which
 * spreadsheets show as plain text. Numbers are left alone (a negative number is not a formula).
 */
export function neutraliseFormula(value: string | number | null): string | number | null {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
