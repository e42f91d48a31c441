/** RFC 4180 CSV, safe to open in a spreadsheet. */

// A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // CRLF line ends, as RFC 4180 says and as spreadsheets expect.
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
