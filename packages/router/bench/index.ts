// Benchmarks for @gw/router.
console.log('no benchmarks yet');
