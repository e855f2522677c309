// Seeded randomness for the scale seeder: one small generator per member, so a member's data
// depends only on the seed and its index, never on chunking or on what was generated before.

/** 32-bit mix of two integers (splitmix-style), for per-member seeds. */
export function mix32(a, b) {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(b ^ 0xc2b2ae35, 0x27d4eb2f)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A fast generator (mulberry32) with the distributions the model needs. */
export class Random {
  constructor(seed) {
    this.state = seed >>> 0;
    this.spare = undefined;
  }

  /** Uniform in [0, 1). */
  next() {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Whole number in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p) {
    return this.next() < p;
  }

  /** Standard normal (Marsaglia polar method). */
  normal() {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    let u;
    let v;
    let s;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * factor;
    return u * factor;
  }

  /** Log-normal with the given median and sigma of the log. */
  logNormal(median, sigma) {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean) {
    return -mean * Math.log(1 - this.next());
  }

  /** 1, 2, 3, … with P(k) = (1 - p)^(k-1) p: mean 1/p. */
  geometric(p) {
    return 1 + Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }
}
