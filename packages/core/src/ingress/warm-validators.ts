// Runs each ingress schema once on a small valid body, so zod builds its parsers before the first request does.
import { type IngressOperation, validateRequest } from './validate-request.ts';

/** A minimal valid body per operation: what the schemas see first, before any caller's request. */
export const warmUpBodies: Readonly<Record<Exclude<IngressOperation, 'models'>, object>> = {
  chat: { model: 'warm-up', messages: [{ role: 'user', content: 'Hi' }] },
  completions: { model: 'warm-up', prompt: 'Hi' },
  embeddings: { model: 'warm-up', input: 'Hi' },
  messages: { model: 'warm-up', max_tokens: 1, messages: [{ role: 'user', content: 'Hi' }] },
  count_tokens: { model: 'warm-up', messages: [{ role: 'user', content: 'Hi' }] },
};

/**
 * zod builds a schema's parser on its first parse: about 20 to 40 ms for the chat schema on a slow 2-core
 * machine, paid by the first request (and every request queued behind it) unless paid here. Never throws: a
 * warm-up that failed leaves the first request to pay, as before.
 */
export function warmValidators(): void {
  for (const [operation, body] of Object.entries(warmUpBodies)) {
    try {
      validateRequest(operation as IngressOperation, body);
    } catch {
      // Nothing to do: the first request builds the parser instead.
    }
  }
}
