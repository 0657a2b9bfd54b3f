/**
 * The command-line flags Cairnet starts Debian's Chromium with (PDF printing, and the browser
 * tests): headless, no sandbox (it runs as root in containers), and no network of its own.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;
