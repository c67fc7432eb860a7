// Finds code points whose split-pattern class differs between this package and tiktoken (Unicode table versions).
import { get_encoding } from 'tiktoken';
import { encode } from '../src/index.ts';

const names = ['o200k_base', 'cl100k_base'] as const;
const oracles = names.map((name) => get_encoding(name));
const mismatches: number[] = [];
for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
  const ch = String.fromCodePoint(codePoint);
  const probe = `a${ch}b ${ch}\n1${ch}1 A${ch}a ${ch}${ch}! ${ch}'s\u3042${ch}`;
  for (let index = 0; index < names.length; index++) {
    const expected = (oracles[index] as ReturnType<typeof get_encoding>).encode(probe, [], []);
    const actual = encode(probe, names[index] as string);
    if (expected.length !== actual.length || actual.some((token, at) => token !== expected[at])) {
      mismatches.push(codePoint);
      break;
    }
  }
}
const ranges: [number, number][] = [];
for (const point of mismatches) {
  const last = ranges.at(-1);
  if (last && last[1] === point - 1) last[1] = point;
  else ranges.push([point, point]);
}
console.log(mismatches.length, 'mismatching code points');
console.log(ranges.map(([a, b]) => `[0x${a.toString(16)}, 0x${b.toString(16)}]`).join(',\n'));
