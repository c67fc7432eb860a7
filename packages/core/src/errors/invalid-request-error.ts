// A 400 naming the offending field: failed validation, or a parameter the chosen upstream cannot honour.
import { GwError } from '@gw/errors';

export class InvalidRequestError extends GwError {
  /** Path of the bad field as OpenAI names it (`messages[0].role`), or null when it is the whole body. */
  readonly param: string | null;

  constructor(message: string, param: string | null, code: `GW_ERR_${string}` = 'GW_ERR_INVALID_REQUEST') {
    super({ code, message, status: 400, details: { param } });
    this.name = 'InvalidRequestError';
    this.param = param;
  }
}
