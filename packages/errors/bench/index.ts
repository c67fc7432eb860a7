// Benchmarks for @gw/errors.
console.log('no benchmarks yet');
