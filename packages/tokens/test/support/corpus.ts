// Deterministic text corpora for exactness tests and benchmarks: prose, code, multilingual, emoji, controls.

/** Small fast seeded PRNG (mulberry32), so every run sees the same text. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const englishWords = (
  'the of and to in is was that for on with as by at from it his an were are which this be or had not but ' +
  'gateway token count request model limit window stream retry upstream provider latency budget cache ' +
  'however although meanwhile therefore nevertheless extraordinary internationalization misunderstanding ' +
  'photosynthesis Tokyo London Paris OpenAI GPT JavaScript TypeScript Kubernetes PostgreSQL McDonald ' +
  "don't can't I'm you're we've they'll she'd it's O'Brien rock'n'roll 1999 2024 3.14159 42 100,000 $19.99"
).split(' ');

/** English-like prose with sentences, paragraphs, quotes and numbers. */
export function proseCorpus(bytes: number, seed = 1): string {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentenceLength = 5 + Math.floor(random() * 20);
    const words: string[] = [];
    for (let index = 0; index < sentenceLength; index++) words.push(pick(random, englishWords));
    let sentence = words.join(' ');
    sentence = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${pick(random, ['.', '.', '.', '?', '!', ';', ':', '...'])}`;
    if (random() < 0.1) sentence = `"${sentence}"`;
    if (random() < 0.05) sentence = `(${sentence})`;
    const separator = random() < 0.12 ? '\n\n' : ' ';
    parts.push(sentence, separator);
    size += sentence.length + separator.length;
  }
  return parts.join('');
}

const identifiers = [
  'value',
  'index',
  'result',
  'countTokens',
  'request',
  'response',
  'options',
  'config',
  'handler',
  'buffer',
  'MAX_SIZE',
  'userId',
  'http_status',
  '_private',
  '$element',
  'i',
  'j',
  'x',
  'data',
  'Promise',
  'Map',
];

/** Source code in several languages' shapes: indentation, brackets, operators, strings, comments. */
export function codeCorpus(bytes: number, seed = 2): string {
  const random = seededRandom(seed);
  const lines: string[] = [];
  let size = 0;
  let depth = 0;
  while (size < bytes) {
    const indent = pick(random, ['  ', '    ', '\t']).repeat(depth);
    const a = pick(random, identifiers);
    const b = pick(random, identifiers);
    const templates = [
      `const ${a} = ${b}.map((item) => item.${pick(random, identifiers)} * ${Math.floor(random() * 1000)});`,
      `if (${a} !== null && ${b} >= 0x${Math.floor(random() * 65535).toString(16)}) {`,
      `def ${a}(self, ${b}: int = ${Math.floor(random() * 100)}) -> Dict[str, Any]:`,
      `// TODO(${a}): handle the ${b} case when the upstream closes early`,
      `for (let ${a} = 0; ${a} < ${b}.length; ${a}++) ${b}[${a}] += ${a} << 2;`,
      `  return fmt.Sprintf("%s=%d\\n", ${a}, len(${b}))`,
      `SELECT ${a}, COUNT(*) FROM ${b} WHERE id IN (1, 2, 3) GROUP BY ${a};`,
      `<div class="${a}-${b}" data-id='${Math.floor(random() * 99)}'>{{ ${a} | escape }}</div>`,
      `${a}: ${JSON.stringify({ [b]: [1, 2.5, 'x'], ok: true })},`,
      '}',
      '',
      `#include <${a}.h>  /* ${b} */`,
      `let re = /^[a-z_$][\\w$]*\\s*=>\\s*$/u; // ${a}`,
    ];
    const line = indent + pick(random, templates);
    if (line.trimEnd().endsWith('{') || line.trimEnd().endsWith(':')) depth = Math.min(depth + 1, 6);
    else if (line.trim() === '}' && depth > 0) depth--;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join(random() < 0.5 ? '\n' : '\r\n');
}

const multilingualSentences = [
  '東京は日本の首都であり、世界最大級の都市圏を形成している。',
  '我们今天讨论的是大型语言模型的令牌计数问题，它对成本和速率限制很重要。',
  '한국어 문장은 띄어쓰기를 사용하지만 형태소가 복잡하게 결합됩니다.',
  'اللغة العربية تكتب من اليمين إلى اليسار وتحتوي على حروف متصلة.',
  'हिन्दी भारत की राजभाषाओं में से एक है और देवनागरी लिपि में लिखी जाती है।',
  'Русский язык использует кириллицу; ВОТ ПРИМЕР ЗАГЛАВНЫХ БУКВ и строчных.',
  'Η ελληνική γλώσσα έχει μακρά ιστορία — ΑΘΗΝΑ, Θεσσαλονίκη.',
  'ภาษาไทยไม่มีการเว้นวรรคระหว่างคำในประโยค',
  'עברית נכתבת מימין לשמאל, כמו ערבית.',
  'Tiếng Việt có nhiều dấu thanh: ả, ã, ạ, ầ, ẩ, ẫ, ậ.',
  'Ça coûte 12,50 € — très cher pour un café à Zürich, n’est-ce pas?',
  'Straße, Größe, Übermaß: Deutsch hat Umlaute und das ß.',
  'ግዕዝ ፊደል በኢትዮጵያ ጥቅም ላይ ይውላል።',
  'Emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇯🇵 ❤️ 🧑🏿‍💻 — and math 𝔸𝔹ℂ 𝟙𝟚𝟛.',
  'Combining: e\u0301 a\u0300 n\u0303 Z\u0351\u0352\u0353; Devanagari क्षत्रिय.',
];

/** Alphabets to build random words from, so a corpus is not a handful of repeated sentences (which caches hide). */
const scripts: readonly (readonly [first: number, last: number, minLength: number, maxLength: number])[] = [
  [0x4e00, 0x9fff, 2, 24], // CJK ideographs: no spaces between words
  [0x3041, 0x3096, 2, 12], // Hiragana
  [0xac00, 0xd7a3, 1, 5], // Hangul syllables
  [0x0430, 0x044f, 2, 12], // Cyrillic lower case
  [0x0627, 0x064a, 2, 9], // Arabic letters
  [0x0915, 0x0939, 2, 8], // Devanagari consonants
  [0x03b1, 0x03c9, 2, 10], // Greek lower case
  [0x0e01, 0x0e2e, 3, 15], // Thai
];

function randomWord(random: () => number): string {
  const [first, last, minLength, maxLength] = pick(random, scripts);
  const length = minLength + Math.floor(random() * (maxLength - minLength + 1));
  let word = '';
  for (let index = 0; index < length; index++)
    word += String.fromCodePoint(first + Math.floor(random() * (last - first + 1)));
  return word;
}

/** Text in many scripts, including CJK runs without spaces, RTL scripts, combining marks and emoji. */
export function multilingualCorpus(bytes: number, seed = 3): string {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentence =
      random() < 0.5
        ? pick(random, multilingualSentences)
        : `${Array.from({ length: 3 + Math.floor(random() * 10) }, () => randomWord(random)).join(' ')}${pick(random, ['.', '。', '،', '।', '?', ''])}`;
    const separator = pick(random, [' ', ' ', '', '\n', '\n\n', '  ']);
    parts.push(sentence, separator);
    size += Buffer.byteLength(sentence) + separator.length;
  }
  return parts.join('');
}

/** Control characters, odd whitespace and runs of whitespace, mixed with text. */
export function controlCorpus(bytes: number, seed = 4): string {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let size = 0;
  const pieces = [
    '\u0000',
    '\u0001',
    '\u0007',
    '\b',
    '\u001b[31m',
    '\u007f',
    '\u0085',
    '\u00a0',
    '\u2028',
    '\u2029',
    '\u3000',
    '\ufeff',
    '\u200b',
    '\u200d',
    '\t\t',
    '\r\n',
    '\n\n\n',
    '   ',
    '\v',
    '\f',
    ' \n ',
    'word',
    ' Word',
    '<|endoftext|>',
    '<|fim_prefix|>',
    "'s",
    "'LL",
    '123456',
    '\ufffd',
    'x\u0300',
  ];
  while (size < bytes) {
    let piece = pick(random, pieces);
    if (random() < 0.05) piece = ' '.repeat(1 + Math.floor(random() * 200));
    parts.push(piece);
    size += piece.length;
  }
  return parts.join('');
}
