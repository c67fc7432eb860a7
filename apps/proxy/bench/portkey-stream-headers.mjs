// Preloaded into the Portkey process only: lets its streaming path run on Node 20 at all.
// Portkey 1.15.2 appends its x-portkey-* headers to the upstream's streaming Response as fetch returned it, whose
// headers Node's fetch makes immutable, so every stream failed with `TypeError: immutable` before a byte was sent.
// Re-wrapping a streaming response (JSON answers are untouched) gives it mutable headers; the copy costs Portkey
// one Response construction per stream, a few microseconds against its ~0.8 ms per request.
const upstreamFetch = globalThis.fetch;

globalThis.fetch = async (input, init) => {
  const response = await upstreamFetch(input, init);
  const type = response.headers.get('content-type');
  if (type === null || !type.startsWith('text/event-stream')) return response;
  return new Response(response.body, response);
};
