/**
 * R's hypergeometric density and distribution function (nmath dhyper.c, phyper.c, with
 * Loader's saddle-point binomial terms), ported so that FactoMineR's `catdes` p-values and
 * v-tests are reproduced to rounding.
 */

const LN_2PI = Math.log(2 * Math.PI);
const LN_SQRT_2PI = 0.5 * LN_2PI;
const DBL_EPSILON = 2.220446049250313e-16;
const DBL_MIN = 2.2250738585072014e-308;

// stirlerr(n) = log(n!) − log(√(2π n) (n/e)^n) for integers 0…15, from exact log-factorials.
const STIRLERR_SMALL: number[] = (() => {
  const out = [0];
  let logFact = 0;
  for (let k = 1; k <= 15; k++) {
    logFact += Math.log(k);
    out.push(logFact - (k + 0.5) * Math.log(k) + k - LN_SQRT_2PI);
  }
  return out;
})();

function stirlerr(n: number): number {
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  if (n <= 15) return STIRLERR_SMALL[n]!; // n is an integer here
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    if (Math.abs(s) < DBL_MIN) return s;
    let ej = 2 * x * v;
    v = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / np) + np - x;
}

function dbinomRaw(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) {
    if (n === 0) return 1;
    return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q));
  }
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p));
  if (x < 0 || x > n) return 0;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(lc - 0.5 * lf);
}

/** P(X = x) for X ~ hypergeometric(r white, b black, n drawn): R's `dhyper(x, r, b, n)`. */
export function dhyper(x: number, r: number, b: number, n: number): number {
  if (x < 0 || !Number.isInteger(x)) return 0;
  if (n < x || r < x || n - x > b) return 0;
  if (n === 0) return x === 0 ? 1 : 0;
  const p = n / (r + b);
  const q = (r + b - n) / (r + b);
  return (dbinomRaw(x, r, p, q) * dbinomRaw(n - x, b, p, q)) / dbinomRaw(n, r + b, p, q);
}

function pdhyper(x: number, NR: number, NB: number, n: number): number {
  let sum = 0;
  let term = 1;
  while (x > 0 && term >= DBL_EPSILON * sum) {
    term *= (x * (NB - n + x)) / (n + 1 - x) / (NR + 1 - x);
    sum += term;
    x--;
  }
  return 1 + sum;
}

/** R's `phyper(x, r, b, n, lower.tail)`. */
export function phyper(x: number, NR: number, NB: number, n: number, lowerTail = true): number {
  x = Math.floor(x + 1e-7);
  if (x * (NR + NB) > n * NR) {
    const old = NB;
    NB = NR;
    NR = old;
    x = n - x - 1;
    lowerTail = !lowerTail;
  }
  if (x < 0 || x < n - NB) return lowerTail ? 0 : 1;
  if (x >= NR || x >= n) return lowerTail ? 1 : 0;
  const d = dhyper(x, NR, NB, n);
  if (d === 0) return lowerTail ? 0 : 1;
  const pd = pdhyper(x, NR, NB, n);
  return lowerTail ? d * pd : 0.5 - d * pd + 0.5;
}

/** R's `round(x)`: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
