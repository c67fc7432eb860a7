// Benchmarks for @gw/cli.
console.log('no benchmarks yet');
