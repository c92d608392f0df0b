/**
 * A compact "first row of each key" index for duplicate detection over millions of rows: keys are stored as
 * UTF-8 bytes in one growing buffer with an open-addressing hash table over typed arrays, so a 1,000,000-row
 * file costs tens of MB and no per-key objects (a Map of strings costs several times that in V8).
 */
export class FirstRowIndex {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** FNV-1a hash of the key encoded by the last `encode` call (at bytes[used..]). */
  private lastHash = 0;
  private table = new Int32Array(1 << 12); // entry index + 1; 0 = empty
  private offsets = new Int32Array(1 << 11);
  private lengths = new Int32Array(1 << 11);
  private rows = new Int32Array(1 << 11);
  private hashes = new Int32Array(1 << 11);
  private count = 0;

  /** Number of distinct keys. */
  get size(): number {
    return this.count;
  }

  /** Row recorded for `key`, or 0 when unknown. */
  get(key: string): number {
    return this.getParts(key, key.length, undefined);
  }

  /** Record `row` for `key` unless the key is known; returns the row recorded first (0 when `key` was new). */
  firstRow(key: string, row: number): number {
    return this.firstRowParts(key, key.length, undefined, row);
  }

  /** `get` for the key `a.slice(0, aLength) + (b === undefined ? "" : "\0" + b)`, without building it. */
  getParts(a: string, aLength: number, b: string | undefined): number {
    const len = this.encode(a, aLength, b);
    const h = this.lastHash;
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = this.table[slot] as number;
      if (e === 0) return 0;
      if (this.matches(e - 1, h, len)) return this.rows[e - 1] as number;
    }
  }

  /** `firstRow` for the key `a.slice(0, aLength) + (b === undefined ? "" : "\0" + b)`, without building it. */
  firstRowParts(a: string, aLength: number, b: string | undefined, row: number): number {
    const len = this.encode(a, aLength, b);
    const h = this.lastHash;
    let mask = this.table.length - 1;
    let slot = h & mask;
    for (; ; slot = (slot + 1) & mask) {
      const e = this.table[slot] as number;
      if (e === 0) break;
      if (this.matches(e - 1, h, len)) return this.rows[e - 1] as number;
    }
    // insert: the key's bytes are already in place at bytes[used..]
    const i = this.count++;
    if (i >= this.offsets.length) this.growEntries();
    this.offsets[i] = this.used;
    this.lengths[i] = len;
    this.rows[i] = row;
    this.hashes[i] = h;
    this.used += len;
    if (this.count * 2 > this.table.length) {
      this.rehash();
      mask = this.table.length - 1;
      for (slot = h & mask; this.table[slot] !== 0; slot = (slot + 1) & mask);
    }
    this.table[slot] = i + 1;
    return 0;
  }

  /** Write the key as UTF-8 at bytes[used..] (not committed) and hash it; returns the byte length. */
  private encode(a: string, aLength: number, b: string | undefined): number {
    const need = (aLength + (b === undefined ? 0 : b.length + 1)) * 3;
    if (this.used + need > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + need));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    const bytes = this.bytes;
    const start = this.used;
    let h = 0x811c9dc5 | 0;
    let n = 0;
    let ascii = true;
    for (let i = 0; i < aLength; i++) {
      const c = a.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      bytes[start + n++] = c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (ascii && b !== undefined) {
      bytes[start + n++] = 0;
      h = Math.imul(h, 0x01000193);
      for (let i = 0; i < b.length; i++) {
        const c = b.charCodeAt(i);
        if (c > 0x7f) {
          ascii = false;
          break;
        }
        bytes[start + n++] = c;
        h = Math.imul(h ^ c, 0x01000193);
      }
    }
    if (!ascii) {
      // non-ASCII: let Buffer encode, then hash the bytes
      n = bytes.write(a.slice(0, aLength), start, "utf8");
      if (b !== undefined) {
        bytes[start + n++] = 0;
        n += bytes.write(b, start + n, "utf8");
      }
      h = 0x811c9dc5 | 0;
      for (let j = 0; j < n; j++) h = Math.imul(h ^ (bytes[start + j] as number), 0x01000193);
    }
    this.lastHash = h ^ (h >>> 15);
    return n;
  }

  private matches(e: number, h: number, len: number): boolean {
    if (this.hashes[e] !== h || this.lengths[e] !== len) return false;
    const off = this.offsets[e] as number;
    const b = this.bytes;
    const start = this.used;
    for (let i = 0; i < len; i++) if (b[off + i] !== b[start + i]) return false;
    return true;
  }

  private growEntries(): void {
    const n = this.offsets.length * 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const g = new Int32Array(n);
      g.set(a);
      return g;
    };
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
    this.rows = grow(this.rows);
    this.hashes = grow(this.hashes);
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let i = 0; i < this.count - 1; i++) {
      let slot = (this.hashes[i] as number) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = i + 1;
    }
    this.table = table;
  }
}
