/**
 * Glob-style pattern matching with Valkey's rules (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE):
 * `*` any run of bytes, `?` one byte, `[abc]` a set, `[^abc]` its complement, `[a-z]` a range
 * (bounds in either order), `\x` the byte x literally. Patterns and subjects are one-byte
 * ("latin1") strings. Bytes compare as C `char` (signed) so ranges over high bytes behave as
 * in Valkey; an unterminated `[` set ends at the end of the pattern.
 */

/** Deepest `*` nesting examined before giving up (Valkey's guard against abusive patterns). */
const MAX_NESTING = 1000;

/** A byte as a signed C char. */
function sc(b: number): number {
  return b >= 128 ? b - 256 : b;
}

/** ASCII tolower on a signed char value (other values unchanged, as in the C locale). */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** State shared by one match: set when a `*` proved the rest cannot match anywhere. */
interface MatchState {
  skipLonger: boolean;
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, st: MatchState, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      while (si < slen) {
        if (matchAt(p, pi + 1, s, si, nocase, st, nesting + 1)) return true;
        if (st.skipLonger) return false;
        si++;
      }
      st.skipLonger = true;
      return false;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = pi < plen && p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      let match = false;
      const c = sc(s.charCodeAt(si));
      for (;;) {
        const left = plen - pi;
        const cur = pi < plen ? p.charCodeAt(pi) : 0;
        if (cur === 92 /* \ */ && left >= 2) {
          pi++;
          if (sc(p.charCodeAt(pi)) === c) match = true;
        } else if (cur === 93 /* ] */ && left > 0) {
          break;
        } else if (left <= 0) {
          pi--;
          break;
        } else if (left >= 3 && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = sc(cur);
          let end = sc(p.charCodeAt(pi + 2));
          let cc = c;
          if (start > end) {
            const t = start;
            start = end;
            end = t;
          }
          if (nocase) {
            start = lower(start);
            end = lower(end);
            cc = lower(cc);
          }
          pi += 2;
          if (cc >= start && cc <= end) match = true;
        } else if (nocase ? lower(sc(cur)) === lower(c) : sc(cur) === c) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      let q = pc;
      if (pc === 92 /* \ */ && plen - pi >= 2) {
        pi++;
        q = p.charCodeAt(pi);
      }
      const b = s.charCodeAt(si);
      if (nocase ? lower(q) !== lower(b) : q !== b) return false;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi >= plen && si === slen;
}

/**
 * Whether `str` matches the glob `pattern` (Valkey's stringmatchlen): `nocase` folds ASCII
 * letters. Both are byte strings.
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  return matchAt(pattern, 0, str, 0, nocase, { skipLonger: false }, 0);
}

/** Whether a pattern is the match-everything `*` (callers skip matching then). */
export function isMatchAll(pattern: string): boolean {
  return pattern === '*';
}

/** Whether a byte is special to the matcher (`*`, `?`, `[`, `\`). */
function hasSpecial(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91 || c === 92) return true;
  }
  return false;
}

/**
 * A matcher for one pattern, for matching many strings (KEYS, SCAN MATCH): literal,
 * `prefix*` and `*suffix` patterns skip the general matcher. Same results as globMatch.
 */
export function compileGlob(pattern: string, nocase = false): (s: string) => boolean {
  if (!nocase) {
    if (!hasSpecial(pattern)) return (s) => s === pattern;
    let stars = pattern.length;
    while (stars > 0 && pattern.charCodeAt(stars - 1) === 42) stars--;
    const prefix = pattern.slice(0, stars);
    if (stars < pattern.length && !hasSpecial(prefix)) {
      return prefix.length === 0 ? (s) => s.length > 0 : (s) => s.startsWith(prefix);
    }
    if (pattern.charCodeAt(0) === 42) {
      let lead = 0;
      while (lead < pattern.length && pattern.charCodeAt(lead) === 42) lead++;
      const suffix = pattern.slice(lead);
      if (!hasSpecial(suffix)) return (s) => s.length > 0 && s.endsWith(suffix);
    }
  }
  return (s) => matchAt(pattern, 0, s, 0, nocase, { skipLonger: false }, 0);
}
