// Benchmarks for @gw/bench.
console.log('no benchmarks yet');
