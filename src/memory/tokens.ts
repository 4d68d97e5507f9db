import { availableParallelism } from 'node:os';
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
/** Pair keys pack (left rank, right rank) into one integer: ranks are below 2^21 in both encodings. */
const PAIR_SPAN = 2 ** 21;
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
    // partRank[i]: the rank of the part that starts at i (every part is a token: single bytes are, and so is a merge).
    const partRank = new Int32Array(n);
    // pairRank[i]: the rank of the part at i joined with the part after it; NO_RANK for none or a dead part.
    const pairRank = new Int32Array(n).fill(NO_RANK);
    const heap = new KeyHeap(3 * n);
    // A joined pair's rank depends only on the two parts' ranks, and a long piece repeats the same few pairs (a run
    // of one character is nothing else): a numeric key then replaces a slice and a string hash per lookup.
    const joined = new Map<number, number>();
    const rankAfter = (start: number): number => {
      const middle = next[start]!;
      if (middle >= n) return NO_RANK;
      const key = partRank[start]! * PAIR_SPAN + partRank[middle]!;
      let rank = joined.get(key);
      if (rank === undefined) {
        rank = this.#rank(piece, start, next[middle]!);
        joined.set(key, rank);
      }
      return rank;
    };
    const offer = (start: number) => {
      const rank = rankAfter(start);
      pairRank[start] = rank;
      if (rank !== NO_RANK) heap.push(rank * START_SPAN + start);
    };
    for (let i = 0; i < n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      partRank[i] = this.#ranks.get(piece[i]!)!;
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
      partRank[start] = rank;
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
/** The encoders whose load has finished, for counting without a promise (countTokensNow). */
const loadedEncoders = new Map<TokenEncoding, BytePairEncoder>();

/**
 * The encoder for `encoding`, loaded on first use: its ranks are a large module (2 MB for o200k_base) that a
 * process which never counts tokens in that encoding should not pay for.
 */
export function loadEncoder(encoding: TokenEncoding = 'cl100k_base'): Promise<BytePairEncoder> {
  let encoder = encoders.get(encoding);
  if (encoder === undefined) {
    const load = loaders[encoding];
    if (load === undefined) throw new RangeError(`unknown token encoding ${String(encoding)}; known: ${TOKEN_ENCODINGS.join(', ')}`);
    encoder = load().then(({ default: file }) => {
      const loaded = new BytePairEncoder(file);
      loadedEncoders.set(encoding, loaded);
      return loaded;
    });
    encoders.set(encoding, encoder);
  }
  return encoder;
}

/**
 * Texts up to this many UTF-16 units in all are counted on the calling thread (the worst such text takes about a
 * millisecond); longer ones on a worker. Ten clients sending 32 KiB of the worst input at once would otherwise
 * queue a third of a second of counting in front of every other request.
 */
export const INLINE_COUNT_CHARS = 2048;
/**
 * A worker that has answered nothing for this long on a count is stuck (counting is n log n, so only a bug can do
 * that): it is replaced and its count rejected. Generous, as a loaded machine can take seconds to start one.
 */
const WORKER_SILENCE_MS = 30_000;
/**
 * Workers at most: as many as the machine has cores, up to 4, started only while counts wait. Each runs below the
 * main thread's priority (count-worker.ts), so however many are busy, the event loop is served first.
 */
const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism()));

/**
 * How many tokens `text` is in `encoding`. Special-token markers such as `<|endoftext|>` are counted as the plain
 * text they are. Time grows as n log n in the length of the text, whatever its content, and a long text is counted
 * on a worker thread, so it never holds the event loop.
 */
export async function countTokens(text: string, encoding: TokenEncoding = 'cl100k_base'): Promise<number> {
  return countTokensOf([text], encoding);
}

/**
 * The tokens of several texts (the parts of one message) in all. The inline limit is for their sum: a message of
 * sixteen 2,048-character parts would otherwise be sixteen "short" counts on the event loop.
 */
export async function countTokensOf(texts: readonly string[], encoding: TokenEncoding = 'cl100k_base'): Promise<number> {
  if (!countsInline(texts)) return pool.count(texts, encoding);
  return countWith(loadedEncoders.get(encoding) ?? (await loadEncoder(encoding)), texts);
}

/**
 * countTokensOf when it can answer without waiting, as it does for almost every message: the encoding is loaded and
 * the texts are short enough to count on this thread. Undefined otherwise (then countTokensOf). An append counts
 * every message, and each promise and await it spares is CPU off the window's hot path.
 */
export function countTokensNow(texts: readonly string[], encoding: TokenEncoding = 'cl100k_base'): number | undefined {
  const encoder = loadedEncoders.get(encoding);
  return encoder !== undefined && countsInline(texts) ? countWith(encoder, texts) : undefined;
}

/** The inline limit is for the texts' sum: a message of sixteen 2,048-character parts is not sixteen short counts. */
function countsInline(texts: readonly string[]): boolean {
  let chars = 0;
  for (const text of texts) chars += text.length;
  return chars <= INLINE_COUNT_CHARS;
}

function countWith(encoder: BytePairEncoder, texts: readonly string[]): number {
  let count = 0;
  for (const text of texts) count += encoder.count(text);
  return count;
}

interface QueuedCount {
  texts: readonly string[];
  encoding: TokenEncoding;
  resolve(count: number): void;
  reject(err: Error): void;
}

/**
 * Worker threads that count long texts, one count in flight each; counts wait here, on the main thread, in order,
 * for a free one. Workers start on demand (a second only while counts wait) and are unref'd while idle, so they
 * never keep a process alive; a crashed or stuck one fails its count and is replaced by the next.
 */
class CountPool {
  readonly #idle: CountWorker[] = [];
  readonly #busy = new Set<CountWorker>();
  readonly #waiting: QueuedCount[] = [];
  #starting = 0;

  count(texts: readonly string[], encoding: TokenEncoding): Promise<number> {
    if (!TOKEN_ENCODINGS.includes(encoding)) {
      return Promise.reject(new RangeError(`unknown token encoding ${String(encoding)}; known: ${TOKEN_ENCODINGS.join(', ')}`));
    }
    return new Promise<number>((resolve, reject) => {
      const queued: QueuedCount = { texts, encoding, resolve, reject };
      this.#waiting.push(queued);
      this.#dispatch();
    });
  }

  prestart(encoding: TokenEncoding): void {
    if (this.#idle.length + this.#busy.size + this.#starting > 0) return;
    this.#starting++;
    new CountWorker(encoding, (worker, started) => this.#finished(worker, started));
  }

  #dispatch(): void {
    while (this.#waiting.length > 0) {
      const worker = this.#idle.pop();
      if (worker === undefined) {
        // A new worker takes no count until it has started and loaded the encoding (seconds on a loaded machine):
        // a count handed to it at once would wait that long while a running worker frees up in milliseconds.
        if (this.#busy.size + this.#starting < POOL_SIZE) {
          this.#starting++;
          new CountWorker(this.#waiting[0]!.encoding, (worker, started) => this.#finished(worker, started));
        }
        return;
      }
      const queued = this.#waiting.shift()!;
      this.#busy.add(worker);
      worker.run(queued);
    }
  }

  /** A worker started, its count settled, or it died: it is free again, or gone for good. */
  #finished(worker: CountWorker, started = false): void {
    if (started) this.#starting--;
    this.#busy.delete(worker);
    const idleAt = this.#idle.indexOf(worker);
    if (!worker.usable) {
      if (idleAt >= 0) this.#idle.splice(idleAt, 1);
    } else if (idleAt < 0) {
      this.#idle.push(worker);
    }
    this.#dispatch();
  }
}

/** One worker thread and the one count it is running. */
class CountWorker {
  readonly #thread: Worker;
  /** Called when the thread is ready (`started`), after each count, and when it dies. */
  readonly #onDone: (worker: CountWorker, started: boolean) => void;
  #started = false;
  #current: QueuedCount | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #nextId = 0;
  usable = true;

  /** Starts a thread that loads `encoding` before it says it is ready. */
  constructor(encoding: TokenEncoding, onDone: (worker: CountWorker, started: boolean) => void) {
    this.#onDone = onDone;
    this.#thread = import.meta.url.endsWith('.ts')
      ? // From source (tests, tsx) the worker is TypeScript too: it registers tsx's loader before importing it.
        new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./count-worker.ts', import.meta.url).href)}); });`,
          { eval: true, workerData: { encoding } },
        )
      : new Worker(new URL('./count-worker.js', import.meta.url), { workerData: { encoding } });
    this.#thread.on('message', (answer: CountAnswer | 'ready') => {
      if (answer === 'ready') {
        this.#started = true;
        // Referenced only while starting or counting: an idle worker must not keep the process running.
        this.#thread.unref();
        this.#onDone(this, true);
      } else if (answer.id === this.#nextId - 1) {
        if ('count' in answer) this.#settle((job) => job.resolve(answer.count));
        else this.#settle((job) => job.reject(new BusyError(`token counting failed: ${answer.error}`)));
      }
    });
    this.#thread.on('error', (err) => this.#fail(new BusyError(`token counting failed: ${err.message}`)));
    this.#thread.on('exit', (code) => this.#fail(new BusyError(`the token-counting worker exited with code ${code}`)));
  }

  run(job: QueuedCount): void {
    this.#current = job;
    this.#thread.ref();
    this.#watchdog = setTimeout(() => this.#fail(new BusyError(`the token-counting worker answered nothing for ${WORKER_SILENCE_MS} ms`)), WORKER_SILENCE_MS);
    this.#watchdog.unref();
    this.#thread.postMessage({ id: this.#nextId++, texts: job.texts, encoding: job.encoding } satisfies CountJob);
  }

  #settle(answer: (job: QueuedCount) => void): void {
    const job = this.#current;
    if (job === undefined) return;
    this.#current = undefined;
    clearTimeout(this.#watchdog);
    this.#thread.unref();
    answer(job);
    this.#onDone(this, false);
  }

  #fail(err: Error): void {
    if (!this.usable) return;
    this.usable = false;
    void this.#thread.terminate();
    if (this.#current !== undefined) this.#settle((job) => job.reject(err));
    // One that died while starting still ends its start, so the pool may start another.
    else this.#onDone(this, !this.#started);
  }
}

const pool = new CountPool();

/**
 * Starts a counting worker with `encoding` loaded, ahead of the first long text: a worker takes seconds to start
 * on a loaded machine, and the first long messages after a start waited that long, past the request's store bound
 * (they answered 503). Called where the service gets ready; harmless when a worker is already there.
 */
export function prestartCounting(encoding: TokenEncoding = 'cl100k_base'): void {
  pool.prestart(encoding);
}
