// Public API of @gw/mock-upstream.
export const packageName = '@gw/mock-upstream';
