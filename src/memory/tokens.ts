import type { Tiktoken } from 'js-tiktoken/lite';

let encoder: Promise<Tiktoken> | undefined;

/**
 * The cl100k_base encoder, loaded on first use: its ranks are a large module that a process which never counts
 * tokens should not pay for. They ship inside js-tiktoken, so nothing is fetched from the network.
 */
function loadEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]).then(
    ([{ Tiktoken }, { default: ranks }]) => new Tiktoken(ranks),
  );
  return encoder;
}

/**
 * How many cl100k_base tokens `text` is. Special-token markers such as `<|endoftext|>` are counted as the plain
 * text they are: a message is content, never control input to the encoder.
 */
export async function countTokens(text: string): Promise<number> {
  const tiktoken = await loadEncoder();
  return tiktoken.encode(text, [], []).length;
}
