// Deterministic text that exercises every pre-tokenizer branch near cut points: words, digits, punctuation before
// newlines, CRLF, runs of spaces and tabs, contractions, accents, combining marks, CJK and emoji.

const fragments = [
  'hello',
  'World',
  "don't",
  "THEY'LL",
  '12345',
  '3.14159',
  'naïve',
  'cafe\u0301',
  '東京タワー',
  '🙂',
  '👩‍💻',
  '...',
  '!?',
  '{"a":1}',
  'x=y+z;',
  '//',
  '\u00a0',
  'Ünïcödé',
  'ﬁne',
  '١٢٣',
];
const separators = [' ', ' ', ' ', '\n', '.\n', '\r\n', '  ', '\t', '\n\n', ' \n', ',\n', ':', '', '   \n  '];

export function variedText(length: number, seed = 42): string {
  let state = seed >>> 0;
  const next = (bound: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % bound;
  };
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const piece = fragments[next(fragments.length)]! + separators[next(separators.length)]!;
    parts.push(piece);
    size += piece.length;
  }
  return parts.join('');
}
