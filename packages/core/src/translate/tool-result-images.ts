// Moves the images of tool results into a user message: Anthropic tool results may hold images, OpenAI's may not.

interface Message {
  role?: unknown;
  content?: unknown;
}

function isTextPart(part: unknown): boolean {
  return (part as { type?: unknown } | null)?.type === 'text';
}

/** A `tool` message holding more than text: OpenAI-format upstreams refuse it with a 400. */
export function hasToolResultImages(message: Message): boolean {
  return (
    message?.role === 'tool' &&
    Array.isArray(message.content) &&
    (message.content as unknown[]).some((part) => !isTextPart(part))
  );
}

/**
 * Each run of `tool` messages keeps its text, and the images they held follow in one user message right after the
 * run: OpenAI wants every answer to an assistant's tool calls before any other message. Claude Code's file
 * reads of images take this path toward OpenAI-format models.
 */
export function moveToolResultImages<Item extends Message>(messages: readonly Item[]): Message[] {
  const out: Message[] = [];
  let images: unknown[] = [];
  const flush = () => {
    if (images.length === 0) return;
    out.push({
      role: 'user',
      content: [{ type: 'text', text: 'The tool results above returned these images:' }, ...images],
    });
    images = [];
  };
  for (const message of messages) {
    if (message?.role !== 'tool') {
      flush();
      out.push(message);
      continue;
    }
    if (!hasToolResultImages(message)) {
      out.push(message);
      continue;
    }
    const parts = message.content as unknown[];
    const text = parts.filter(isTextPart);
    images.push(...parts.filter((part) => !isTextPart(part)));
    out.push({
      ...message,
      content: text.length > 0 ? text : 'The result is the images in the next message.',
    });
  }
  flush();
  return out;
}
