// Benchmarks for @gw/ratelimit.
console.log('no benchmarks yet');
