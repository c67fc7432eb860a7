// Splits a long text at positions that are piece boundaries in every encoding, so parts count independently.

function isAsciiLetter(unit: number): boolean {
  return (unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122);
}

/**
 * True when a piece always starts at `index`, whatever the encoding: a space before an ASCII letter (every split
 * pattern ends the previous piece there and starts ` word`), or an ASCII letter after a single newline that follows
 * visible ASCII (no piece spans a newline followed by a letter, and the newline is a piece of its own whether or not
 * the text is cut there; after a run of whitespace, r50k/p50k would split the run differently at the end of a part).
 */
export function isSafeBoundary(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const unit = text.charCodeAt(index);
  if (unit === 32) return index + 1 < text.length && isAsciiLetter(text.charCodeAt(index + 1));
  if (index < 2 || !isAsciiLetter(unit) || text.charCodeAt(index - 1) !== 10) return false;
  const before = text.charCodeAt(index - 2);
  return before > 32 && before < 127;
}

/**
 * Cuts `text` into about `parts` pieces at safe boundaries near the even split points; a text with no safe
 * boundary near a split point is not cut there (parts stay exact, only the balance suffers).
 */
export function splitAtSafeBoundaries(text: string, parts: number, searchWindow = 4096): string[] {
  if (parts <= 1) return [text];
  const chunks: string[] = [];
  const step = Math.ceil(text.length / parts);
  let start = 0;
  for (let part = 1; part < parts; part++) {
    const target = part * step;
    if (target <= start) continue;
    let cut = -1;
    for (let offset = 0; offset < searchWindow && cut === -1; offset++) {
      if (isSafeBoundary(text, target + offset)) cut = target + offset;
      else if (target - offset > start && isSafeBoundary(text, target - offset)) cut = target - offset;
    }
    if (cut === -1) continue;
    chunks.push(text.slice(start, cut));
    start = cut;
  }
  chunks.push(text.slice(start));
  return chunks;
}
