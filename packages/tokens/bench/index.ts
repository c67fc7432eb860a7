// Benchmarks for @gw/tokens.
console.log('no benchmarks yet');
