import { describe, expect, it } from 'vitest';
import {
  type ChatMessage,
  countMessages,
  dimensionsOfDataUrl,
  dimensionsOfImage,
  imageCostFor,
  imageTokens,
} from '../src/index.ts';

function png(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

function gif(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(13);
  bytes.write('GIF89a', 0, 'latin1');
  bytes.writeUInt16LE(width, 6);
  bytes.writeUInt16LE(height, 8);
  return bytes;
}

function jpeg(width: number, height: number): Buffer {
  // SOI, an APP0 segment to skip, then SOF0 with the frame size.
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46]);
  const sof = Buffer.alloc(19);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(17, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]);
}

function webp(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(30);
  bytes.write('RIFF', 0, 'latin1');
  bytes.write('WEBPVP8X', 8, 'latin1');
  bytes.writeUIntLE(width - 1, 24, 3);
  bytes.writeUIntLE(height - 1, 27, 3);
  return bytes;
}

const dataUrl = (mime: string, bytes: Buffer): string => `data:${mime};base64,${bytes.toString('base64')}`;

describe('image dimensions from header bytes', () => {
  it.each([
    ['PNG', png(1920, 1080)],
    ['GIF', gif(1920, 1080)],
    ['JPEG', jpeg(1920, 1080)],
    ['WebP', webp(1920, 1080)],
  ])('reads a %s header', (_, bytes) => {
    expect(dimensionsOfImage(bytes)).toEqual({ width: 1920, height: 1080 });
  });

  it('reads a data URL and ignores remote URLs and garbage', () => {
    expect(dimensionsOfDataUrl(dataUrl('image/png', png(640, 480)))).toEqual({ width: 640, height: 480 });
    expect(dimensionsOfDataUrl('https://example.com/cat.png')).toBeUndefined();
    expect(dimensionsOfDataUrl('data:image/png;base64,AAAA')).toBeUndefined();
  });
});

describe('image token cost', () => {
  const gpt4o = { base: 85, tile: 170 };

  it('charges only the base for low detail', () => {
    expect(imageTokens({ width: 4096, height: 4096 }, 'low', gpt4o)).toBe(85);
  });

  it('fits within 2048, scales the short side to 768, and charges per 512px tile', () => {
    // 1024x1024 -> 768x768 -> 2x2 tiles.
    expect(imageTokens({ width: 1024, height: 1024 }, 'high', gpt4o)).toBe(85 + 4 * 170);
    // 2048x4096 -> 1024x2048 -> 768x1536 -> 2x3 tiles (OpenAI's documented example: 1105).
    expect(imageTokens({ width: 2048, height: 4096 }, 'high', gpt4o)).toBe(1105);
    // Small images are not scaled up: 300x200 is one tile.
    expect(imageTokens({ width: 300, height: 200 }, 'auto', gpt4o)).toBe(85 + 170);
  });

  const imageMessage = (url: string, detail: 'low' | 'high'): ChatMessage[] => [
    { role: 'user', content: [{ type: 'image_url', image_url: { url, detail } }] },
  ];

  it('uses the per-model base and tile cost', () => {
    const url = dataUrl('image/png', png(1024, 1024));
    // 3 per message + 'user' (1) + image + 3 priming.
    const overhead = 3 + 1 + 3;
    expect(countMessages(imageMessage(url, 'low'), 'gpt-4o').tokens).toBe(overhead + 85);
    expect(countMessages(imageMessage(url, 'low'), 'gpt-4o-mini').tokens).toBe(overhead + 2833);
    expect(countMessages(imageMessage(url, 'high'), 'gpt-4o-mini').tokens).toBe(overhead + 2833 + 4 * 5667);
    expect(countMessages(imageMessage(url, 'high'), 'gpt-5').tokens).toBe(overhead + 70 + 4 * 140);
    expect(countMessages(imageMessage(url, 'high'), 'o1').tokens).toBe(overhead + 75 + 4 * 150);
    expect(countMessages(imageMessage(url, 'high'), 'gpt-4.1').tokens).toBe(overhead + 85 + 4 * 170);
  });

  it('uses caller-given sizes for remote images, else assumes 1024x1024 and marks an estimate', () => {
    const remote = 'https://example.com/wide.png';
    const given = countMessages(imageMessage(remote, 'high'), 'gpt-4o', {
      imageDimensions: () => ({ width: 512, height: 512 }),
    });
    expect(given).toEqual({ tokens: 7 + 85 + 170, estimated: false });
    expect(countMessages(imageMessage(remote, 'high'), 'gpt-4o')).toEqual({
      tokens: 7 + 85 + 4 * 170,
      estimated: true,
    });
  });

  it('counts text parts next to images', () => {
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this image?' },
          { type: 'image_url', image_url: { url: dataUrl('image/gif', gif(100, 100)), detail: 'low' } },
        ],
      },
    ];
    const textOnly = countMessages([{ role: 'user', content: 'What is in this image?' }], 'gpt-4o').tokens;
    expect(countMessages(messages, 'gpt-4o').tokens).toBe(textOnly + 85);
  });
});

// OpenAI's vision guide, "Calculating costs": gpt-4.1-mini, gpt-4.1-nano, o4-mini, gpt-5-mini and gpt-5-nano are
// billed by 32x32 patches (at most 1536) times a per-model multiplier; the other models by 512-px tiles.
describe('patch-billed image cost', () => {
  const patches = { patchMultiplier: 1 };

  it("counts the guide's worked examples: 1024x1024 is 1024 patches, 1800x2400 is 1452", () => {
    expect(imageTokens({ width: 1024, height: 1024 }, 'high', patches)).toBe(1024);
    // 57x75 = 4275 patches -> shrink to 1086x1448 -> fit the width to 33 patches: 1056x1408 -> 33x44.
    expect(imageTokens({ width: 1800, height: 2400 }, 'high', patches)).toBe(1452);
    expect(imageTokens({ width: 2400, height: 1800 }, 'high', patches)).toBe(1452);
  });

  it('fits the tighter side to whole patches when it is the height', () => {
    // OpenAI's pricing-page calculator shows 2348 for gpt-4.1-mini: 1449 patches x 1.62 = 2347.38, rounded up.
    expect(imageTokens({ width: 4000, height: 1474 }, 'high', patches)).toBe(1449);
    expect(imageTokens({ width: 4000, height: 1474 }, 'high', imageCostFor('gpt-4.1-mini'))).toBe(2348);
  });

  it('never charges more than 1536 patches', () => {
    expect(imageTokens({ width: 2048, height: 768 }, 'high', patches)).toBe(1536);
    expect(imageTokens({ width: 1, height: 60_000 }, 'high', patches)).toBe(1536);
    expect(imageTokens({ width: 8000, height: 8000 }, 'high', patches)).toBeLessThanOrEqual(1536);
  });

  it('multiplies the patches by the documented per-model factor and rounds up', () => {
    const square = { width: 1024, height: 1024 };
    expect(imageTokens(square, 'high', imageCostFor('gpt-4.1-mini'))).toBe(1659); // 1024 x 1.62 = 1658.88
    expect(imageTokens(square, 'high', imageCostFor('gpt-4.1-nano'))).toBe(2520); // 1024 x 2.46 = 2519.04
    expect(imageTokens(square, 'high', imageCostFor('o4-mini'))).toBe(1762); // 1024 x 1.72 = 1761.28
    expect(imageTokens(square, 'high', imageCostFor('gpt-5-mini'))).toBe(1659);
    expect(imageTokens(square, 'high', imageCostFor('gpt-5-nano'))).toBe(2520);
    expect(imageTokens({ width: 1800, height: 2400 }, 'high', imageCostFor('gpt-4.1-mini'))).toBe(2353); // 2352.24
  });

  it('does not round a whole product up because of float error', () => {
    // 480x320 is 15x10 patches; 150 x 1.62 is 243.00000000000003 in floating point.
    expect(imageTokens({ width: 480, height: 320 }, 'high', imageCostFor('gpt-4.1-mini'))).toBe(243);
  });

  it("ignores detail: 'low', which the patch rule has no step for", () => {
    const cost = imageCostFor('o4-mini');
    const size = { width: 1024, height: 1024 };
    expect(imageTokens(size, 'low', cost)).toBe(imageTokens(size, 'high', cost));
    expect(imageTokens(size, undefined, cost)).toBe(imageTokens(size, 'high', cost));
  });

  it('picks the patch rule for snapshots and provider-prefixed names, and tiles for the full-size models', () => {
    const url = dataUrl('image/png', png(1024, 1024));
    const message = (detail: 'low' | 'high'): ChatMessage[] => [
      { role: 'user', content: [{ type: 'image_url', image_url: { url, detail } }] },
    ];
    const overhead = 3 + 1 + 3;
    expect(countMessages(message('high'), 'gpt-4.1-mini-2025-04-14')).toEqual({
      tokens: overhead + 1659,
      estimated: false,
    });
    expect(countMessages(message('low'), 'azure/gpt-4.1-nano').tokens).toBe(overhead + 2520);
    expect(countMessages(message('high'), 'o4-mini-2025-04-16').tokens).toBe(overhead + 1762);
    expect(countMessages(message('high'), 'gpt-5-mini-2025-08-07').tokens).toBe(overhead + 1659);
    expect(countMessages(message('high'), 'gpt-4.1').tokens).toBe(overhead + 85 + 4 * 170);
    expect(countMessages(message('high'), 'gpt-5').tokens).toBe(overhead + 70 + 4 * 140);
    expect(countMessages(message('high'), 'o3').tokens).toBe(overhead + 75 + 4 * 150);
  });

  it('lists the tile costs of the guide for the other models', () => {
    expect(imageCostFor('gpt-4o-mini-2024-07-18')).toEqual({ base: 2833, tile: 5667 });
    expect(imageCostFor('o1-pro')).toEqual({ base: 75, tile: 150 });
    expect(imageCostFor('computer-use-preview')).toEqual({ base: 65, tile: 129 });
    expect(imageCostFor('gpt-4.5-preview')).toEqual({ base: 85, tile: 170 });
    expect(imageCostFor('some-other-model')).toEqual({ base: 85, tile: 170 });
  });
});
