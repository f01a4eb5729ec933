// A small seeded PRNG so the same seed always yields the same malformed requests (a failure can be replayed).

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Uint8Array;
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32: tiny, fast and good enough to vary test inputs; not for anything secret. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(items.length)] as (typeof items)[number];
    },
    bytes: (length) => Uint8Array.from({ length }, () => int(256)),
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
  };
}

/** A version-4 uuid drawn from the generator: well-formed, so it passes a uuid check and names nothing. */
export function randomUuid(random: Random): string {
  const hex = [...random.bytes(16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  const variant = "89ab"[random.int(4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// Characters that trip parsers, databases and terminals: controls, quotes, RTL marks, combining marks, astral emoji.
const junkPool = [
  ..."abcXYZ019 _-.,;:'\"`\\/<>{}[]()%&#?=+*!~|$@^",
  "\u0000",
  "\u0007",
  "\t",
  "\n",
  "\r",
  "\u00a0",
  "\u200b",
  "\u202e",
  "\u2028",
  "\ufeff",
  "\u0301",
  "é",
  "ß",
  "Ω",
  "中",
  "🙂",
  "👩‍👩‍👧",
  "\u{1f600}",
];

/** A short string of hostile characters; whole code points only, so it always survives encodeURIComponent. */
export function junkString(random: Random): string {
  const length = 1 + random.int(32);
  return Array.from({ length }, () => random.pick(junkPool)).join("");
}
