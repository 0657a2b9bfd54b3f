/**
 * Route options that slow down guessing of secret tokens (invitation links, resume links, opt-out
 * and press-answer links): at most 60 look-ups a minute from one address. The limit is kept by
 * each app server in memory, so N servers behind a balancer allow N times as many.
 */
export const TOKEN_LOOKUP_LIMIT = { rateLimit: { max: 60, timeWindow: '1 minute' } } as const;

/**
 * The public results page and its JSON: at most 120 requests a minute from one address (a
 * page is served from memory, but a client must not take a server's whole time). Kept by each
 * app server in memory, like the limit above.
 */
export const PUBLIC_PAGE_LIMIT = { rateLimit: { max: 120, timeWindow: '1 minute' } } as const;
