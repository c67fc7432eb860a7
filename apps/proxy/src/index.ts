// Public API of @gw/proxy.
export const packageName = '@gw/proxy';
