// The ms release Temporal pins (3.0.0-canary.1) ships types its package.json `exports` do not point at, so
// TypeScript cannot find them under NodeNext resolution. This declares the one call parseDuration makes.
declare module 'ms' {
  /** Milliseconds from a duration like "30s", "5m", "1.5h"; NaN when the string is not one; throws when empty or over 100 characters. */
  export default function ms(value: string): number;
}
