// Benchmarks for @gw/pool.
console.log('no benchmarks yet');
