// @gw/errors has no hot path worth measuring; this prints construction cost for reference.
import { GwError } from '@gw/errors';

const started = process.hrtime.bigint();
for (let index = 0; index < 100_000; index++) new GwError({ code: 'GW_ERR_BENCH', message: 'bench' });
console.log(`GwError construction: ${Number(process.hrtime.bigint() - started) / 100_000} ns per error`);
