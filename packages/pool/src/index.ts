// Public API of @gw/pool.
export const packageName = '@gw/pool';
