// Reads an inline image's width and height from its PNG, JPEG, GIF or WebP header bytes.

export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
}

/** Only the header matters; this many base64 characters cover it for all but JPEGs with huge metadata. */
const HEADER_BASE64_CHARS = 88_000;

/** Dimensions of a `data:image/...;base64,` URL, or undefined when it is not one or the header is unreadable. */
export function dimensionsOfDataUrl(url: string): ImageDimensions | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma === -1 || !url.slice(0, comma).endsWith(';base64')) return undefined;
  const body = url.slice(comma + 1, comma + 1 + HEADER_BASE64_CHARS);
  const bytes = Buffer.from(body.slice(0, body.length - (body.length % 4)), 'base64');
  return (
    dimensionsOfImage(bytes) ??
    (url.length - comma - 1 > HEADER_BASE64_CHARS
      ? dimensionsOfImage(Buffer.from(url.slice(comma + 1), 'base64'))
      : undefined)
  );
}

export function dimensionsOfImage(bytes: Uint8Array): ImageDimensions | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (offset: number, ...values: number[]): boolean =>
    offset + values.length <= bytes.length && values.every((value, index) => bytes[offset + index] === value);
  if (has(0, 0x89, 0x50, 0x4e, 0x47) && bytes.length >= 24) {
    return valid(view.getUint32(16), view.getUint32(20));
  }
  if (has(0, 0x47, 0x49, 0x46, 0x38) && bytes.length >= 10) {
    return valid(view.getUint16(6, true), view.getUint16(8, true));
  }
  if (has(0, 0x52, 0x49, 0x46, 0x46) && has(8, 0x57, 0x45, 0x42, 0x50)) return webpDimensions(bytes, view);
  if (has(0, 0xff, 0xd8)) return jpegDimensions(bytes, view);
  return undefined;
}

function valid(width: number, height: number): ImageDimensions | undefined {
  return width > 0 && height > 0 ? { width, height } : undefined;
}

function webpDimensions(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8 ' && bytes.length >= 30) {
    return valid(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  }
  if (chunk === 'VP8L' && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return valid((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && bytes.length >= 30) {
    const width = ((bytes[24] as number) | ((bytes[25] as number) << 8) | ((bytes[26] as number) << 16)) + 1;
    const height = ((bytes[27] as number) | ((bytes[28] as number) << 8) | ((bytes[29] as number) << 16)) + 1;
    return valid(width, height);
  }
  return undefined;
}

function jpegDimensions(bytes: Uint8Array, view: DataView): ImageDimensions | undefined {
  let offset = 2;
  while (offset + 9 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] as number;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return valid(view.getUint16(offset + 7), view.getUint16(offset + 5));
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return undefined;
}
