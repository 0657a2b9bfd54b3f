/** Kish's design effect due to unequal weights and the effective sample size. */
export interface KishEffect {
  n: number;
  deff: number;
  effectiveN: number;
}

/** Kish: deff = n·Σw²/(Σw)², effective n = (Σw)²/Σw², over all n rows given. */
export function kishDesignEffect(weights: ArrayLike<number>): KishEffect {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i]!;
    s2 += weights[i]! * weights[i]!;
  }
  return { n: weights.length, deff: (weights.length * s2) / (s * s), effectiveN: (s * s) / s2 };
}
