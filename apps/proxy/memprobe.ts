import { httpLoad } from '@gw/bench';
const url = process.argv[2]!;
const r = await httpLoad({ url: `${url}/v1/chat/completions`, method: 'POST', headers: { authorization: 'Bearer sk-bench-virtual-key', 'content-type': 'application/json' }, body: { model: 'gpt-4o-slow', messages: [{ role: 'user', content: 'a long, slow answer' }], stream: true }, connections: 1000, requests: 1000, stream: true, timeoutMs: 60000 });
console.log(r.ok, r.statusCounts);
