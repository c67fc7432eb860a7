// Converts OpenAI `file` content parts (a PDF as a data URL in `file_data`) to Anthropic document sources and back.
import type { AnthropicDocumentSource } from '../types/anthropic.ts';

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** The document source for a `file_data` value, or undefined when it is neither a data URL nor an http(s) URL. */
export function documentSourceFromFileData(fileData: string): AnthropicDocumentSource | undefined {
  const match = DATA_URL.exec(fileData);
  if (match !== null) return { type: 'base64', media_type: match[1]!, data: match[2]! };
  if (/^https?:\/\//i.test(fileData)) return { type: 'url', url: fileData };
  return undefined;
}

/** `file_data` for a base64 or URL document; plain-text documents have no file form and go as text instead. */
export function fileDataFromDocumentSource(
  source: Exclude<AnthropicDocumentSource, { type: 'text' }>,
): string {
  return source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
}
