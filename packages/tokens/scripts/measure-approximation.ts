// Measures the Anthropic estimate (exact cl100k_base count x factor) against @anthropic-ai/tokenizer on the test corpus.
import { countTokens as anthropicCount } from '@anthropic-ai/tokenizer';
import { APPROXIMATION_FACTORS } from '../src/approximation.ts';
import { countTokens } from '../src/index.ts';
import { codeCorpus, controlCorpus, multilingualCorpus, proseCorpus } from '../test/support/corpus.ts';

const documents: (readonly [kind: string, text: string])[] = [];
for (let seed = 0; seed < 20; seed++) {
  documents.push(
    ['prose', proseCorpus(4000, 100 + seed)],
    ['code', codeCorpus(4000, 200 + seed)],
    ['multilingual', multilingualCorpus(4000, 300 + seed)],
    ['control', controlCorpus(2000, 400 + seed)],
  );
}
console.log(`factor ${APPROXIMATION_FACTORS.anthropic} on cl100k_base, ${documents.length} documents`);
console.log('kind          mean |error|   worst error');
for (const kind of ['prose', 'code', 'multilingual', 'control', 'all']) {
  const errors = documents
    .filter(([documentKind]) => kind === 'all' || documentKind === kind)
    .map(([, text]) => {
      const reference = anthropicCount(text);
      return (countTokens(text, 'claude-3-5-sonnet') - reference) / reference;
    });
  const mean = errors.reduce((sum, error) => sum + Math.abs(error), 0) / errors.length;
  const worst = errors.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
  console.log(
    `${kind.padEnd(14)}${(mean * 100).toFixed(1).padStart(9)}%  ${(worst * 100).toFixed(1).padStart(11)}%`,
  );
}
