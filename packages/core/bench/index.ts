// Benchmarks for @gw/core.
console.log('no benchmarks yet');
