import { countTokens } from '/work/main/packages/tokens/src/index.ts';
import { codeCorpus, proseCorpus } from '/work/main/packages/tokens/test/support/corpus.ts';

const msgs = proseCorpus(100_000, 94)
  .split(/(?<=[.!?])\s+/)
  .map((s) => s.split(' ').slice(0, 20).join(' '));
for (const text of [proseCorpus(200_000, 91), codeCorpus(200_000, 92)]) {
  for (let i = 0; i < 300; i++) countTokens(text, 'o200k_base');
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < 40; i++) countTokens(text, 'o200k_base');
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) / 1000 / 40);
  }
  console.log(best.toFixed(2), 'ms cpu per 200KB');
}
for (let i = 0; i < 200000; i++) countTokens(msgs[i % msgs.length]!, 'o200k_base');
const t = process.cpuUsage();
for (let i = 0; i < 500000; i++) countTokens(msgs[i % msgs.length]!, 'o200k_base');
const u = process.cpuUsage(t);
console.log(((u.user + u.system) / 500000).toFixed(2), 'µs per message');
