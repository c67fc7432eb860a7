// Public API of @gw/cli.
export const packageName = '@gw/cli';
