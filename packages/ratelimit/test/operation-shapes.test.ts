import { describe, expect, it } from 'vitest';
import { type ShapeList, shapeIndexOf } from '../src/operation-shapes.ts';
import { limitSpec } from './support/limit-spec.ts';

const header = ['d', 1, 0, '', 0, '', ''];

function emptyList(): ShapeList {
  return { args: [], starts: [] };
}

describe('operation shapes', () => {
  it('names operations alike by one shape, whatever their keys', () => {
    const list = emptyList();
    const a = shapeIndexOf(list, header, [limitSpec('rpm', 'k1', 'sliding-window', 10, 60_000)]);
    const b = shapeIndexOf(list, [...header], [limitSpec('rpm', 'k2', 'sliding-window', 10, 60_000)]);
    expect([a, b]).toEqual([1, 1]);
    expect(list.args).toEqual([...header, 1, 'sw', 10, 60_000, 'r']);
  });

  it('gives a new shape to any difference in amounts or limit parameters', () => {
    const list = emptyList();
    const rpm = limitSpec('rpm', 'k', 'sliding-window', 10, 60_000);
    expect(shapeIndexOf(list, header, [rpm])).toBe(1);
    expect(shapeIndexOf(list, ['d', 2, 0, '', 0, '', ''], [rpm])).toBe(2);
    expect(shapeIndexOf(list, header, [{ ...rpm, limit: 11 }])).toBe(3);
    expect(shapeIndexOf(list, header, [{ ...rpm, windowMs: 1_000 }])).toBe(4);
    expect(shapeIndexOf(list, header, [{ ...rpm, algorithm: 'gcra' }])).toBe(5);
    expect(shapeIndexOf(list, header, [{ ...rpm, unit: 'tokens' }])).toBe(6);
    expect(shapeIndexOf(list, header, [rpm, rpm])).toBe(7);
    expect(shapeIndexOf(list, header, [rpm])).toBe(1);
    expect(list.starts).toEqual([0, 12, 24, 36, 48, 60, 72]);
  });

  it('keeps the values a shape was made from, even if the spec object changes afterwards', () => {
    const list = emptyList();
    const rpm = limitSpec('rpm', 'k', 'sliding-window', 10, 60_000);
    shapeIndexOf(list, header, [rpm]);
    rpm.limit = 20;
    expect(shapeIndexOf(list, header, [rpm])).toBe(2);
    expect(list.args.filter((value) => value === 10 || value === 20)).toEqual([10, 20]);
  });

  it('compares with the latest shapes only: an older one is added again rather than searched for', () => {
    const list = emptyList();
    for (let limit = 1; limit <= 9; limit++)
      shapeIndexOf(list, header, [limitSpec('rpm', 'k', 'fixed-window', limit, 1_000)]);
    expect(shapeIndexOf(list, header, [limitSpec('rpm', 'k', 'fixed-window', 2, 1_000)])).toBe(2);
    expect(shapeIndexOf(list, header, [limitSpec('rpm', 'k', 'fixed-window', 1, 1_000)])).toBe(10);
  });
});
