import { describe, expect, it } from 'vitest';
import { forgetRawJson, rawJsonOf, rememberRawJson } from '../../src/translate/raw-json.ts';

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
});
