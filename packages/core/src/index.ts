// Public API of @gw/core.
export const packageName = '@gw/core';
