// Public API of @gw/tokens.
export const packageName = '@gw/tokens';
