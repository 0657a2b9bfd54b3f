// Types of bin/build.mjs (a plain script: it runs before anything is compiled).
export const ROOT: string;
export const DIST: string;
export function sourceFingerprint(): string;
export function builtFingerprint(): string | undefined;
export function build(): Promise<number>;
export function ensureBuild(): Promise<boolean>;
