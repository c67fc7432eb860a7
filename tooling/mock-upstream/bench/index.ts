// Benchmarks for @gw/mock-upstream.
console.log('no benchmarks yet');
