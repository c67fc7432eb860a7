// Benchmarks for @gw/proxy.
console.log('no benchmarks yet');
