// Fixed-width text tables for terminal output (colour-aware padding).
import { visibleLength } from './terminal.ts';

export type Align = 'left' | 'right';

export function renderTable(header: string[], rows: string[][], align: Align[] = []): string {
  const widths = header.map((cell, column) =>
    Math.max(visibleLength(cell), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const pad = (cell: string, column: number): string => {
    const gap = ' '.repeat(widths[column]! - visibleLength(cell));
    return align[column] === 'right' ? gap + cell : cell + gap;
  };
  const line = (cells: string[]): string => cells.map(pad).join('  ').replace(/\s+$/, '');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
