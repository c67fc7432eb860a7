// The benchmark's upstream, run in a child process so it does not share the client's event loop.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small chat-completion-sized JSON answer and a 16-event SSE stream of similar chunks.
const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'The quick brown fox jumps over the lazy dog.' } },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 10, total_tokens: 22 },
});
const event = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'token ' } }] })}\n\n`;
const events = 16;

const server = createServer((request, response) => {
  // Requests carry a small JSON body, as provider calls do; read it before answering.
  request.resume();
  request.on('end', () => {
    if (request.url === '/stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (let index = 0; index < events; index++) response.write(event);
      response.end('data: [DONE]\n\n');
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(completion),
    });
    response.end(completion);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('disconnect', () => process.exit(0));
