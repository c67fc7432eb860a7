import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { forgetRawJson, rawJsonOf, rememberRawJson, takeRawJson } from '../../src/translate/raw-json.ts';

/** A full collection, from a context created after the flag is set (the only way to reach gc() at run time). */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // A WeakRef's target is kept until the job that dereferenced it ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

const text = '{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"hi"}}]}';

describe('raw JSON text', () => {
  it('gives back the text an object was parsed from', () => {
    const parsed = JSON.parse(text) as object;
    rememberRawJson(parsed, text);
    expect(rawJsonOf(parsed)).toBe(text);
  });

  it('gives none for a copy, which may have been changed', () => {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    rememberRawJson(parsed, text);
    expect(rawJsonOf({ ...parsed, id: 'chatcmpl-2' })).toBeUndefined();
  });

  it('keeps only recent texts: one read after hundreds of later ones is serialised again', () => {
    const early = JSON.parse(text) as object;
    rememberRawJson(early, text);
    const later = Array.from({ length: 600 }, () => JSON.parse(text) as object);
    for (const value of later) rememberRawJson(value, text);
    expect(rawJsonOf(early)).toBeUndefined();
    expect(rawJsonOf(later.at(-1))).toBe(text);
  });

  it('never holds a text larger than its budget', () => {
    const huge = `{"content":"${'x'.repeat(5 * 1024 * 1024)}"}`;
    const parsed = JSON.parse(huge) as object;
    rememberRawJson(parsed, huge);
    expect(rawJsonOf(parsed)).toBeUndefined();
  });

  it('gives none once forgotten, and none for values never remembered', () => {
    const parsed = JSON.parse(text) as object;
    rememberRawJson(parsed, text);
    forgetRawJson(parsed);
    expect(rawJsonOf(parsed)).toBeUndefined();
    expect(rawJsonOf(JSON.parse(text))).toBeUndefined();
    expect(rawJsonOf('a string')).toBeUndefined();
    expect(rawJsonOf(null)).toBeUndefined();
    forgetRawJson(null);
  });

  it('leaves the object itself as it was parsed', () => {
    const parsed = JSON.parse(text) as object;
    rememberRawJson(parsed, text);
    expect(parsed).toStrictEqual(JSON.parse(text));
    expect(Object.getOwnPropertySymbols(parsed)).toEqual([]);
  });

  it('hands the text to its one writer: taken once, then no longer held', () => {
    const parsed = JSON.parse(text) as object;
    rememberRawJson(parsed, text);
    expect(takeRawJson(parsed)).toBe(text);
    expect(takeRawJson(parsed)).toBeUndefined();
    expect(rawJsonOf(parsed)).toBeUndefined();
    expect(takeRawJson(undefined)).toBeUndefined();
  });

  it('keeps no reference to an answer once its text was taken or forgotten', async () => {
    const remember = (consume: (value: object) => void): WeakRef<object> => {
      const parsed = JSON.parse(text) as object;
      rememberRawJson(parsed, text);
      consume(parsed);
      return new WeakRef(parsed);
    };
    const taken = remember((value) => takeRawJson(value));
    const forgotten = remember((value) => forgetRawJson(value));
    const unread = remember(() => {});
    await collectGarbage();
    expect(taken.deref()).toBeUndefined();
    expect(forgotten.deref()).toBeUndefined();
    // The control: a text nobody read stays until later ones push it out, which is what makes this test able to fail.
    expect(unread.deref()).toBeDefined();
  });

  it('still evicts in order after slots were emptied out of order', () => {
    const values = Array.from({ length: 512 }, () => JSON.parse(text) as object);
    for (const value of values) rememberRawJson(value, text);
    takeRawJson(values[10]);
    takeRawJson(values[300]);
    const next = JSON.parse(text) as object;
    rememberRawJson(next, text);
    expect(rawJsonOf(values[0])).toBeUndefined();
    expect(rawJsonOf(values[1])).toBe(text);
    expect(rawJsonOf(next)).toBe(text);
  });
});
