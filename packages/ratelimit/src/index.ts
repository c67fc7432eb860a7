// Public API of @gw/ratelimit.
export const packageName = '@gw/ratelimit';
