// Converts image references between OpenAI `image_url` (data or http URLs) and Anthropic image sources.
import type { AnthropicImageSource } from '../types/anthropic.ts';

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

export function imageSourceFromUrl(url: string): AnthropicImageSource {
  const match = DATA_URL.exec(url);
  if (match !== null) return { type: 'base64', media_type: match[1]!, data: match[2]! };
  return { type: 'url', url };
}

export function urlFromImageSource(source: AnthropicImageSource): string {
  return source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
}
