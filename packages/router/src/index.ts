// Public API of @gw/router.
export const packageName = '@gw/router';
