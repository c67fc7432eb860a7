import { encodingNames, getTokenizer } from '../src/index.ts';
import { tokenizerContract } from './tokenizer-contract.ts';

for (const name of encodingNames) tokenizerContract(name, () => getTokenizer(name));
