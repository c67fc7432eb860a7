// Public API of @gw/tokens.
export type {
  ChatMessage,
  ContentPart,
  FunctionCall,
  FunctionDefinition,
  ImageContentPart,
  JsonSchemaProperty,
  TextContentPart,
  ToolCall,
  ToolDefinition,
} from './chat-types.ts';
export { type CountMessagesOptions, countMessages, type MessageCount } from './count-messages.ts';
export { countTokens, countTokensBatch, decode, encode, getTokenizer } from './count-tokens.ts';
export { type EncodingName, encodingNames } from './encoding-name.ts';
export { loadedEncodings } from './encoding-registry.ts';
export { dimensionsOfDataUrl, dimensionsOfImage, type ImageDimensions } from './image-dimensions.ts';
export {
  DEFAULT_IMAGE_DIMENSIONS,
  type ImageCost,
  imageCostFor,
  imageTokens,
  type PatchImageCost,
  type TileImageCost,
} from './image-tokens.ts';
export { DEFAULT_ENCODING, encodingForModel, type ModelEncoding } from './model-encoding.ts';
export { prepareEncodings } from './prepare-encodings.ts';
export type { Tokenizer } from './tokenizer.ts';
export { createTokenizerPool, type TokenizerPool, type TokenizerPoolOptions } from './tokenizer-pool.ts';
export { TokensError, type TokensErrorCode } from './tokens-error.ts';
