// Public API of @gw/bench.
export const packageName = '@gw/bench';
