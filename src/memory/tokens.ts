import { Worker } from 'node:worker_threads';
import type { CountAnswer, CountJob } from './count-worker.js';
import { BusyError } from '../errors.js';

/**
 * Token counting for the short-term window, in the encodings of OpenAI's model families.
 *
 * The encodings' data (the pre-tokenizing pattern and the byte-pair ranks) ships inside js-tiktoken, so nothing is
 * fetched from the network. The merge is our own: js-tiktoken's rescans every pair after each merge, which is
 * quadratic in the length of a pre-tokenized piece, and one piece can be a whole message (32 KiB of "x" took about
 * two minutes of event-loop time, stalling every other request). Here a long piece is merged with a heap over a
 * linked list of parts, O(n log n), applying the same merges in the same order, so the tokens are the same.
 */

export const TOKEN_ENCODINGS = ['cl100k_base', 'o200k_base'] as const;
export type TokenEncoding = (typeof TOKEN_ENCODINGS)[number];

/** What js-tiktoken's rank modules export. */
interface RankFile {
  pat_str: string;
  bpe_ranks: string;
}

const loaders: Record<TokenEncoding, () => Promise<{ default: RankFile }>> = {
  cl100k_base: () => import('js-tiktoken/ranks/cl100k_base'),
  o200k_base: () => import('js-tiktoken/ranks/o200k_base'),
};

/**
 * Pieces up to this many bytes merge by rescanning (cheap for short pieces, and most pieces are a word or less);
 * longer ones take the heap.
 */
const SHORT_PIECE_BYTES = 32;
/** A pair with no rank. Real ranks are small non-negative integers. */
const NO_RANK = -1;
/** Heap keys pack (rank, start) into one double: rank * 2^32 + start sorts by rank, then leftmost first. */
const START_SPAN = 2 ** 32;
const ASCII = /^[\x00-\x7f]*$/;
/** Entries of an encoder's memo of multi-token pieces: a few hundred KB at most. */
const PART_MEMO_ENTRIES = 4096;

/**
 * One encoding: its pattern and ranks, keyed by the token's bytes as a latin1 string (one char per byte), which is
 * much cheaper to build and hash than js-tiktoken's comma-joined numbers.
 */
export class BytePairEncoder {
  readonly #pattern: RegExp;
  readonly #ranks: Map<string, number>;
  /** Bytes in the longest token: a pair longer than this cannot have a rank, so it is not looked up. */
  readonly #longestToken: number;
  /** Token counts of short pieces that are not one token (see count). */
  readonly #partCounts = new Map<string, number>();

  constructor(file: RankFile) {
    this.#pattern = new RegExp(file.pat_str, 'gu');
    this.#ranks = new Map();
    let longest = 0;
    for (const line of file.bpe_ranks.split('\n')) {
      if (line === '') continue;
      // "<name> <first rank> <base64 token> <base64 token> ...": consecutive ranks from the first.
      const fields = line.split(' ');
      const first = Number.parseInt(fields[1]!, 10);
      for (let i = 2; i < fields.length; i++) {
        const bytes = Buffer.from(fields[i]!, 'base64').toString('latin1');
        this.#ranks.set(bytes, first + i - 2);
        if (bytes.length > longest) longest = bytes.length;
      }
    }
    this.#longestToken = longest;
  }

  /**
   * The token ids of `text`. Special-token markers such as `<|endoftext|>` are encoded as the plain text they are:
   * a message is content, never control input to the encoder.
   */
  encode(text: string): number[] {
    const tokens: number[] = [];
    this.#each(text, (piece, whole) => {
      if (whole !== undefined) tokens.push(whole);
      else for (const part of this.#parts(piece)) tokens.push(this.#ranks.get(part)!);
    });
    return tokens;
  }

  /**
   * How many tokens `text` is; the same as `encode(text).length`, without building the ids. The hot path of every
   * append: one ASCII test of the whole text instead of one per piece, an exec loop rather than matchAll's
   * iterator, and a bounded memo of the pieces that are not one token (a rare word, a name, an identifier), which
   * recur across a conversation's messages.
   */
  count(text: string): number {
    const pattern = this.#pattern;
    const ascii = ASCII.test(text);
    let count = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const raw = match[0];
      if (raw === '') {
        // No alternative of either encoding's pattern matches nothing; never loop on one that would.
        pattern.lastIndex++;
        continue;
      }
      const piece = ascii || ASCII.test(raw) ? raw : Buffer.from(raw, 'utf8').toString('latin1');
      if (this.#ranks.has(piece)) count++;
      else count += this.#partCount(piece);
    }
    return count;
  }

  /** The tokens of a piece that is not one token, memoized for short pieces. */
  #partCount(piece: string): number {
    if (piece.length > SHORT_PIECE_BYTES) return this.#mergeLong(piece).length;
    let parts = this.#partCounts.get(piece);
    if (parts === undefined) {
      parts = this.#mergeShort(piece).length;
      // Bounded by clearing: the memo only ever holds what recent texts used, and a refill is cheap.
      if (this.#partCounts.size >= PART_MEMO_ENTRIES) this.#partCounts.clear();
      this.#partCounts.set(piece, parts);
    }
    return parts;
  }

  #each(text: string, visit: (piece: string, whole: number | undefined) => void): void {
    for (const [match] of text.matchAll(this.#pattern)) {
      const piece = ASCII.test(match) ? match : Buffer.from(match, 'utf8').toString('latin1');
      visit(piece, this.#ranks.get(piece));
    }
  }

  /** The byte strings a piece merges into, in order. */
  #parts(piece: string): string[] {
    const ends = piece.length <= SHORT_PIECE_BYTES ? this.#mergeShort(piece) : this.#mergeLong(piece);
    const parts: string[] = [];
    let start = 0;
    for (const end of ends) {
      parts.push(piece.slice(start, end));
      start = end;
    }
    return parts;
  }

  /** The rank of the bytes [start, end) of `piece`, or NO_RANK. */
  #rank(piece: string, start: number, end: number): number {
    if (end - start > this.#longestToken) return NO_RANK;
    return this.#ranks.get(piece.slice(start, end)) ?? NO_RANK;
  }

  /**
   * The reference merge: repeatedly join the adjacent pair whose bytes have the lowest rank, the leftmost on a tie,
   * until no pair has a rank. Returns each part's end.
   */
  #mergeShort(piece: string): number[] {
    // bounds[i] is where part i starts; the last entry is the piece's end.
    const bounds = Array.from({ length: piece.length + 1 }, (_, i) => i);
    while (bounds.length > 2) {
      let best = NO_RANK;
      let at = -1;
      for (let i = 0; i + 2 < bounds.length; i++) {
        const rank = this.#rank(piece, bounds[i]!, bounds[i + 2]!);
        if (rank !== NO_RANK && (best === NO_RANK || rank < best)) {
          best = rank;
          at = i;
        }
      }
      if (at < 0) break;
      bounds.splice(at + 1, 1);
    }
    return bounds.slice(1);
  }

  /**
   * The same merges as #mergeShort, in the same order, in O(n log n): parts are a linked list by start offset, and
   * every live pair sits in a min-heap keyed by (rank, start). A popped entry whose pair has changed since it was
   * pushed is stale and skipped: ranks are one per byte string, so a changed pair has a different rank.
   */
  #mergeLong(piece: string): number[] {
    const n = piece.length;
    // next[i]: the start of the part after the part that starts at i (n for the last). Only live starts matter.
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    // pairRank[i]: the rank of the part at i joined with the part after it; NO_RANK for none or a dead part.
    const pairRank = new Int32Array(n).fill(NO_RANK);
    const heap = new KeyHeap(3 * n);
    const rankAfter = (start: number): number => {
      const middle = next[start]!;
      return middle >= n ? NO_RANK : this.#rank(piece, start, next[middle]!);
    };
    const offer = (start: number) => {
      const rank = rankAfter(start);
      pairRank[start] = rank;
      if (rank !== NO_RANK) heap.push(rank * START_SPAN + start);
    };
    for (let i = 0; i < n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    for (let i = 0; i + 1 < n; i++) offer(i);

    while (heap.size > 0) {
      const key = heap.pop();
      const rank = Math.floor(key / START_SPAN);
      const start = key - rank * START_SPAN;
      if (pairRank[start] !== rank) continue;
      const absorbed = next[start]!;
      const after = next[absorbed]!;
      next[start] = after;
      if (after < n) prev[after] = start;
      pairRank[absorbed] = NO_RANK;
      offer(start);
      if (start > 0) offer(prev[start]!);
    }

    const ends: number[] = [];
    for (let start = 0; start < n; start = next[start]!) ends.push(next[start]!);
    return ends;
  }
}

/** A binary min-heap of doubles with a fixed capacity. */
class KeyHeap {
  readonly #keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.#keys = new Float64Array(Math.max(capacity, 1));
  }

  push(key: number): void {
    const keys = this.#keys;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      i = parent;
    }
    keys[i] = key;
  }

  pop(): number {
    const keys = this.#keys;
    const top = keys[0]!;
    const last = keys[--this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= last) break;
      keys[i] = keys[child]!;
      i = child;
    }
    keys[i] = last;
    return top;
  }
}

const encoders = new Map<TokenEncoding, Promise<BytePairEncoder>>();

/**
 * The encoder for `encoding`, loaded on first use: its ranks are a large module (2 MB for o200k_base) that a
 * process which never counts tokens in that encoding should not pay for.
 */
export function loadEncoder(encoding: TokenEncoding = 'cl100k_base'): Promise<BytePairEncoder> {
  let encoder = encoders.get(encoding);
  if (encoder === undefined) {
    const load = loaders[encoding];
    if (load === undefined) throw new RangeError(`unknown token encoding ${String(encoding)}; known: ${TOKEN_ENCODINGS.join(', ')}`);
    encoder = load().then(({ default: file }) => new BytePairEncoder(file));
    encoders.set(encoding, encoder);
  }
  return encoder;
}

/**
 * Texts up to this many UTF-16 units are counted on the calling thread (the worst such text takes about a
 * millisecond); longer ones in the worker. Ten clients sending 32 KiB of the worst input at once would otherwise
 * queue a third of a second of counting in front of every other request.
 */
export const INLINE_COUNT_CHARS = 2048;
/**
 * A worker with counts in flight that answers none for this long is stuck (counting is n log n, so only a bug can
 * do that): it is replaced and its counts rejected. Generous, as a loaded machine can take seconds to start one.
 */
const WORKER_SILENCE_MS = 30_000;

/**
 * How many tokens `text` is in `encoding`. Special-token markers such as `<|endoftext|>` are counted as the plain
 * text they are. Time grows as n log n in the length of the text, whatever its content, and a long text is counted
 * on a worker thread, so it never holds the event loop.
 */
export async function countTokens(text: string, encoding: TokenEncoding = 'cl100k_base'): Promise<number> {
  if (text.length <= INLINE_COUNT_CHARS) return (await loadEncoder(encoding)).count(text);
  return counter.count(text, encoding);
}

/**
 * One worker thread, started on the first long text and unref'd, so it never keeps a process alive. It loads the
 * encodings it is asked for, once each. A crashed or stuck worker fails the counts in flight and is replaced on
 * the next one.
 */
class WorkerCounter {
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (count: number) => void; reject: (err: Error) => void }>();
  #watchdog: NodeJS.Timeout | undefined;

  count(text: string, encoding: TokenEncoding): Promise<number> {
    if (!TOKEN_ENCODINGS.includes(encoding)) {
      return Promise.reject(new RangeError(`unknown token encoding ${String(encoding)}; known: ${TOKEN_ENCODINGS.join(', ')}`));
    }
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) {
        worker.ref();
        this.#arm(worker);
      }
      worker.postMessage({ id, text, encoding } satisfies CountJob);
    });
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = import.meta.url.endsWith('.ts')
      ? // From source (tests, tsx) the worker is TypeScript too: it registers tsx's loader before importing it.
        new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./count-worker.ts', import.meta.url).href)}); });`,
          { eval: true },
        )
      : new Worker(new URL('./count-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (answer: CountAnswer) => {
      const job = this.#pending.get(answer.id);
      if (job === undefined) return;
      this.#pending.delete(answer.id);
      // Referenced only while counts are in flight: an idle worker must not keep the process running.
      if (this.#pending.size === 0) {
        worker.unref();
        clearTimeout(this.#watchdog);
      } else {
        this.#arm(worker);
      }
      if ('count' in answer) job.resolve(answer.count);
      else job.reject(new BusyError(`token counting failed: ${answer.error}`));
    });
    worker.on('error', (err) => this.#fail(worker, new BusyError(`token counting failed: ${err.message}`)));
    worker.on('exit', (code) => this.#fail(worker, new BusyError(`the token-counting worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #arm(worker: Worker): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => this.#fail(worker, new BusyError(`the token-counting worker answered nothing for ${WORKER_SILENCE_MS} ms`)), WORKER_SILENCE_MS);
    this.#watchdog.unref();
  }

  #fail(worker: Worker, err: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    clearTimeout(this.#watchdog);
    for (const job of this.#pending.values()) job.reject(err);
    this.#pending.clear();
    void worker.terminate();
  }
}

const counter = new WorkerCounter();
