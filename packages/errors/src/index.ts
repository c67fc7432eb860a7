// Public API of @gw/errors.
export { GwError, type GwErrorOptions } from './gw-error.ts';
