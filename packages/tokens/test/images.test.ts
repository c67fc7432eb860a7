import { describe, expect, it } from 'vitest';
import {
  type ChatMessage,
  countMessages,
  dimensionsOfDataUrl,
  dimensionsOfImage,
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
