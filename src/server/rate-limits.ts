/**
 * Route options that slow down guessing of secret tokens (invitation links, resume links, opt-out
 * and press-answer links): at most 60 look-ups a minute from one address. The limit is kept by
 * each app server in memory, so N servers behind a balancer allow N times as many.
 */
export const TOKEN_LOOKUP_LIMIT = { rateLimit: { max: 60, timeWindow: '1 minute' } } as const;
