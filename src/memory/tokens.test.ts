import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { countTokens, countTokensOf, INLINE_COUNT_CHARS, loadEncoder, prestartCounting, TOKEN_ENCODINGS } from './tokens.js';

/** The real encoder, js-tiktoken, whose counts ours must equal. It is quadratic on long pieces: keep inputs short. */
const reference = { cl100k_base: new Tiktoken(cl100k), o200k_base: new Tiktoken(o200k) };

const CORPUS = [
  '',
  'hello world',
  'Hello, World! How are you doing today?',
  "I'm sure they'll say it's fine; we've done it, you'd agree. DON'T SHOUT.",
  'The quick brown fox jumps over the lazy dog.\n\nSecond paragraph\r\nwith CRLF and\ttabs.',
  '   leading and trailing spaces   ',
  '\n\n\n  \n\t\t\n',
  '3.14159 and 1234567890 and 1,000,000 and 0x1F and 2024-12-01T09:30:00Z',
  'héllo ✓ 你好 世界 — “quotes” ‘single’ … naïve café Ångström',
  'Здравствуйте, мир! Привет. مرحبا بالعالم שלום עולם नमस्ते दुनिया こんにちは世界 안녕하세요',
  'emoji 👋🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ 🤖🧠 and combining e\u0301 a\u0308 and zero\u200bwidth',
  '<|endoftext|> <|fim_prefix|> <|endofprompt|> are plain text here',
  'function add(a: number, b: number): number {\n  return a + b; // sum\n}\nconst x = add(1, 2);\n',
  'SELECT id, name FROM users WHERE email LIKE \'%@example.com\' ORDER BY created_at DESC LIMIT 10;',
  '{"tool":"get_weather","arguments":{"city":"Paris","unit":"celsius"},"ok":true,"list":[1,2,3]}',
  'def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n',
  'https://example.com/path/to/page?query=value&other=1#fragment and user@example.com',
  'CamelCaseIdentifiers and snake_case_names and SCREAMING_CASE and kebab-case-words',
  'x'.repeat(600),
  'é'.repeat(300),
  '👋'.repeat(150),
  ' '.repeat(500),
  '!'.repeat(400),
  '1'.repeat(400),
  'A'.repeat(400) + 'b',
  'ab'.repeat(300),
  '中'.repeat(200),
  '\u0000\u0001\u007f control \uFEFF bom',
];

/** Characters that make long pre-tokenized pieces and the merges' ties, mixed with ordinary ones. */
const PIECE_MAKERS = ['x', 'é', '👋', ' ', '\n', '!', 'a', 'A', '1', '中', "'", 's', '.', '\t', 'ß', '🇫', '\u0301'];

describe.each(TOKEN_ENCODINGS)('the %s encoder', (encoding) => {
  const ref = reference[encoding];

  it('encodes a corpus of prose, code, Unicode and repeats to exactly the real encoder’s tokens', async () => {
    const encoder = await loadEncoder(encoding);
    for (const text of CORPUS) {
      expect(encoder.encode(text), JSON.stringify(text.slice(0, 40))).toEqual(ref.encode(text, [], []));
      expect(await countTokens(text, encoding)).toBe(ref.encode(text, [], []).length);
    }
  });

  it('encodes random strings exactly like the real encoder', async () => {
    const encoder = await loadEncoder(encoding);
    const same = (text: string) => {
      expect(encoder.encode(text)).toEqual(ref.encode(text, [], []));
      expect(encoder.count(text)).toBe(ref.encode(text, [], []).length);
    };
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), same), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), same), { numRuns: 300 });
    // Long runs of few characters: the pieces past the short-merge threshold, where our heap merge takes over.
    const runs = fc.array(fc.tuple(fc.constantFrom(...PIECE_MAKERS), fc.integer({ min: 1, max: 70 })), { minLength: 1, maxLength: 5 });
    fc.assert(fc.property(runs, (parts) => same(parts.map(([char, times]) => char.repeat(times)).join(''))), { numRuns: 300 });
  });

  it('counts a text the same again once its pieces are memoized, and after the memo has been refilled', async () => {
    const encoder = await loadEncoder(encoding);
    const expected = CORPUS.map((text) => ref.encode(text, [], []).length);
    expect(CORPUS.map((text) => encoder.count(text))).toEqual(expected);
    expect(CORPUS.map((text) => encoder.count(text))).toEqual(expected);
    // More distinct multi-token pieces than the memo holds: it is cleared and refilled on the way.
    const words = Array.from({ length: 6000 }, (_, i) => `zq${i.toString(36)}xv`).join(' ');
    expect(encoder.count(words)).toBe(ref.encode(words, [], []).length);
    expect(CORPUS.map((text) => encoder.count(text))).toEqual(expected);
  });

  // Regression: js-tiktoken's merge is quadratic in a piece's length, and one repeated character is one piece:
  // 32 KiB of "x" took 125 s on the event loop, stalling every request. The benchmark times these; here they finish.
  it('counts the worst-case inputs of 32 KiB', async () => {
    const encoder = await loadEncoder(encoding);
    for (const text of ['x'.repeat(32_768), 'é'.repeat(16_384), '👋'.repeat(8_192), ' '.repeat(32_768), '!'.repeat(32_768)]) {
      const count = encoder.count(text);
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(32_768);
      expect(encoder.encode(text)).toHaveLength(count);
      // The merge is the real one: the tokens decode back to the text.
      expect(ref.decode(encoder.encode(text))).toBe(text);
      // countTokens hands a text this long to the worker thread, which counts the same.
      expect(text.length).toBeGreaterThan(INLINE_COUNT_CHARS);
      expect(await countTokens(text, encoding)).toBe(count);
    }
  });

  // Regression: the inline limit was per text, so a message of many 2,048-character parts of the worst input was
  // counted part by part on the event loop. Their sum decides now; the worker's total is the parts' counts added.
  it('counts the parts of one message in all, on a worker once their sum is long', async () => {
    const encoder = await loadEncoder(encoding);
    prestartCounting(encoding);
    const parts = Array.from({ length: 16 }, (_, i) => ['x', 'é', '👋', ' '][i % 4]!.repeat(INLINE_COUNT_CHARS / 4));
    const expected = parts.reduce((sum, text) => sum + encoder.count(text), 0);
    expect(await countTokensOf(parts, encoding)).toBe(expected);
    expect(await Promise.all(Array.from({ length: 8 }, () => countTokensOf(parts, encoding)))).toEqual(Array(8).fill(expected));
    expect(await countTokensOf(['hello', ' world'], encoding)).toBe(encoder.count('hello world'));
  });

  it('counts long texts on the worker exactly as on the calling thread, many at once', async () => {
    const encoder = await loadEncoder(encoding);
    const texts = CORPUS.map((text, i) => `${text} ${i} `.repeat(Math.ceil((INLINE_COUNT_CHARS + 1) / (text.length + 4))));
    expect(await Promise.all(texts.map((text) => countTokens(text, encoding)))).toEqual(texts.map((text) => encoder.count(text)));
  });
});

describe('countTokens', () => {
  it('defaults to cl100k_base and refuses an encoding it does not know', async () => {
    expect(await countTokens('hello world')).toBe(2);
    expect(await countTokens(' x'.repeat(7))).toBe(7);
    await expect(countTokens('x', 'p50k_base' as never)).rejects.toThrow(/unknown token encoding p50k_base/);
    await expect(countTokens('x'.repeat(INLINE_COUNT_CHARS + 1), 'p50k_base' as never)).rejects.toThrow(/unknown token encoding p50k_base/);
  });
});
