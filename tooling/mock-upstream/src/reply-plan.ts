// Decides what a successful reply says, independent of the wire format: text pieces, tool call, stop reason, usage.
import type { Scenario } from './scenario.ts';

export const defaultContent = 'The quick brown fox jumps over the lazy dog.';

export type StopReason = 'stop' | 'length' | 'stop_sequence' | 'tool_calls';

export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
  argumentChunks: string[];
}

export interface ReplyPlan {
  text: string;
  /** The text as streamed; empty when the reply is only a tool call. */
  textChunks: string[];
  toolCall?: PlannedToolCall;
  stopReason: StopReason;
  stopSequence?: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheCreationTokens: number;
}

export interface ReplyRequest {
  /** All prompt text, used for a deterministic prompt token estimate. */
  promptText: string;
  maxTokens?: number;
  stopSequences: string[];
  toolCallId: string;
}

/** Roughly four characters per token, like the providers' own rule of thumb. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

function generatedText(count: number): string {
  const source = words(defaultContent).map((word) => word.trim());
  const out: string[] = [];
  for (let index = 0; index < count; index += 1) out.push(source[index % source.length] ?? 'word');
  return out.join(' ');
}

function splitEvenly(text: string, parts: number): string[] {
  const count = Math.max(1, Math.floor(parts));
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  for (let index = 0; index < count; index += 1) pieces.push(text.slice(index * size, (index + 1) * size));
  return pieces;
}

function splitBySize(text: string, size: number): string[] {
  if (text === '') return [''];
  const pieces: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) pieces.push(text.slice(offset, offset + size));
  return pieces;
}

function applyStopSequences(text: string, stops: string[]): { text: string; stop?: string } {
  let best: { index: number; stop: string } | undefined;
  for (const stop of stops) {
    if (stop === '') continue;
    const index = text.indexOf(stop);
    if (index !== -1 && (best === undefined || index < best.index)) best = { index, stop };
  }
  return best === undefined ? { text } : { text: text.slice(0, best.index), stop: best.stop };
}

export function planReply(scenario: Scenario, request: ReplyRequest): ReplyPlan {
  const explicitContent = scenario.content !== undefined;
  const wantsTool = scenario.toolCall !== undefined;
  let text = explicitContent
    ? (scenario.content ?? '')
    : wantsTool
      ? ''
      : scenario.chunks !== undefined
        ? generatedText(scenario.chunks)
        : defaultContent;

  let stopReason: StopReason = wantsTool ? 'tool_calls' : 'stop';
  let stopSequence: string | undefined;
  const stopped = applyStopSequences(text, request.stopSequences);
  if (stopped.stop !== undefined) {
    text = stopped.text;
    stopReason = 'stop_sequence';
    stopSequence = stopped.stop;
  }
  let pieces = words(text);
  if (request.maxTokens !== undefined && pieces.length > request.maxTokens) {
    pieces = pieces.slice(0, request.maxTokens);
    text = pieces.join('');
    stopReason = 'length';
    stopSequence = undefined;
  }

  const textChunks =
    text === ''
      ? []
      : explicitContent && scenario.chunks !== undefined
        ? splitEvenly(text, scenario.chunks)
        : pieces;

  let toolCall: PlannedToolCall | undefined;
  if (scenario.toolCall !== undefined && stopReason !== 'length') {
    const args =
      typeof scenario.toolCall.arguments === 'string'
        ? scenario.toolCall.arguments
        : JSON.stringify(scenario.toolCall.arguments);
    toolCall = {
      id: scenario.toolCall.id ?? request.toolCallId,
      name: scenario.toolCall.name,
      arguments: args,
      argumentChunks:
        scenario.chunks !== undefined ? splitEvenly(args, scenario.chunks) : splitBySize(args, 8),
    };
  }

  const generated = pieces.length + (toolCall === undefined ? 0 : estimateTokens(toolCall.arguments));
  const plan: ReplyPlan = {
    text,
    textChunks,
    stopReason,
    promptTokens: scenario.usage?.promptTokens ?? estimateTokens(request.promptText),
    completionTokens: scenario.usage?.completionTokens ?? Math.max(1, generated),
    cachedTokens: scenario.usage?.cachedTokens ?? 0,
    cacheCreationTokens: scenario.usage?.cacheCreationTokens ?? 0,
  };
  if (toolCall !== undefined) plan.toolCall = toolCall;
  if (stopSequence !== undefined) plan.stopSequence = stopSequence;
  return plan;
}

/** All text in a message list (string contents and text parts), for the prompt token estimate. */
export function promptTextOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(promptTextOf).join(' ');
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.text === 'string') return record.text;
    if (record.content !== undefined) return promptTextOf(record.content);
  }
  return '';
}
