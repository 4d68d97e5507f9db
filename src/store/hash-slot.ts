/** Redis Cluster splits the keyspace into this many slots. */
export const HASH_SLOTS = 16384;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The Redis Cluster slot of a key: CRC16 (XMODEM) of the key's bytes modulo 16384, where a non-empty `{…}`
 * (the first `{` and the first `}` after it) replaces the whole key. This is how keys that share a `hashTag()`
 * land on one slot, and therefore on one node, so a script or a MULTI may touch them together.
 */
export function hashSlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(OPEN_BRACE);
  if (open !== -1) {
    const close = bytes.indexOf(CLOSE_BRACE, open + 1);
    // `{}` is no tag at all: the whole key is hashed.
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % HASH_SLOTS;
  }
  return crc16(bytes) % HASH_SLOTS;
}

/** CRC16-CCITT as Redis uses it: polynomial 0x1021, initial value 0, bit by bit (keys are short). */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Groups keys by slot, keeping each key's position in the input so replies can be put back in order. */
export function groupBySlot(keys: readonly string[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  keys.forEach((key, position) => {
    const slot = hashSlot(key);
    const group = groups.get(slot);
    if (group) group.push(position);
    else groups.set(slot, [position]);
  });
  return groups;
}
