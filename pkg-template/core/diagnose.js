// explainMismatch: why a signature does not verify. The package's one mismatch diagnosis, written
// in JS on top of the core's HMAC so that it does not ride in the Wasm module every import
// compiles, and so that it re-serializes bodies with JavaScript's own JSON.stringify. It re-hashes
// a few likely variants of the body and the secret and names the one that matches; it never shows
// the secret or the expected signature. tests/vectors/diagnose.json holds its expected findings,
// messages and fixes (tests/js/diagnose.test.mjs).
import { diagnosisInputs, hmacMatches } from './glue.js';

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const { parse, stringify } = JSON;

const FIX = {
  MISSING_SIGNATURE: 'check the request comes from Elenik and no proxy strips the X-Elenik-Signature header',
  UNSUPPORTED_ALGORITHM: "Elenik sends `sha256=<hex>`; check the header is Elenik's and not another provider's",
  MALFORMED_SIGNATURE: 'pass the X-Elenik-Signature header value unchanged: `sha256=` followed by 64 hex digits',
  SECRET_WHITESPACE: 'trim the secret where it is loaded (a file or `echo` adds a newline; use `echo -n` or .trim())',
  BODY_TRAILING_NEWLINE: 'verify the body bytes exactly as received; do not read it as lines or let a tool rewrite it',
  BODY_RESERIALIZED:
    'verify the raw body before any JSON parser (express.raw(), await request.arrayBuffer()), not JSON.stringify of the parsed object',
  SECRET_PREFIX:
    "Elenik keys the HMAC with the secret's text exactly as shown; sign and verify with those same bytes (keep the prefix, do not base64-decode or encode)",
  BODY_LATIN1: "read the body as bytes (Buffer) and do not decode it as Latin-1/'binary' before verifying",
  SECRET_OR_BODY_DIFFERS:
    'check this is the secret of the endpoint that received the request (test and live differ), and that the body is the raw bytes received',
};
FIX.BODY_LINE_ENDINGS = FIX.BODY_TRAILING_NEWLINE;
FIX.BODY_REINDENTED = FIX.BODY_RESERIALIZED;
FIX.SECRET_BASE64 = FIX.SECRET_PREFIX;

const CONFIRMED = {
  BODY_TRAILING_NEWLINE: 'the signature matches the body without its trailing newline: something appended one',
  BODY_LINE_ENDINGS: 'the signature matches the body with its line endings converted (CRLF and LF)',
  BODY_RESERIALIZED:
    'the signature matches JSON.stringify(JSON.parse(body)): the body was parsed and re-serialized (the body-parser mistake)',
  BODY_REINDENTED:
    'the signature matches the JSON re-serialized with 2-space indentation: the body was parsed and re-serialized (the body-parser mistake)',
  BODY_LATIN1:
    'the signature matches the body transcoded between UTF-8 and Latin-1: it was decoded with the wrong text encoding',
};

const finding = (code, message) => ({ code, message, fix: FIX[code] });

/** Bytes as UTF-8 text, or undefined where they are not valid UTF-8. */
function text(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

// The whitespace the core's header parser trims (src/signature.rs, Rust's `str::trim`: Unicode
// White_Space) is JS's `\s` minus U+FEFF plus U+0085.
const RUST_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const rustTrim = (s) => s.replace(new RegExp(`^${RUST_SPACE}+|${RUST_SPACE}+$`, 'g'), '');
// The secret's whitespace test also counts U+FEFF (a BOM from a file).
const SECRET_SPACE = RUST_SPACE.replace(']', '\\ufeff]');
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function secretWhitespace(secret) {
  const value = text(secret);
  if (value === undefined) return undefined;
  const trimmed = value.replace(new RegExp(`^${SECRET_SPACE}+|${SECRET_SPACE}+$`, 'g'), '');
  if (trimmed.length === value.length || trimmed.length === 0) return undefined;
  const trailing = value.slice(value.replace(new RegExp(`${SECRET_SPACE}+$`), '').length);
  const what = /[\n\r]/.test(trailing) ? 'ends with a newline' : trailing === '' ? 'starts with whitespace' : 'ends with whitespace';
  return {
    trimmed: encoder.encode(trimmed),
    finding: (confirmed) =>
      finding(
        'SECRET_WHITESPACE',
        confirmed
          ? `the secret ${what}; without it the signature matches`
          : `the secret ${what}; Elenik's secrets have none (it does not match without it either)`,
      ),
  };
}

/** Printable text (as secrets shown in a dashboard are), rather than raw key bytes. */
function isText(secret) {
  const value = text(secret);
  return value !== undefined && !CONTROL.test(value);
}

/** A `whsec_`-style prefix: a short word and an underscore before at least 8 more bytes. */
function secretPrefix(secret) {
  const value = text(secret);
  const at = value?.indexOf('_') ?? -1;
  if (at < 0) return undefined;
  const prefix = value.slice(0, at);
  const rest = encoder.encode(value.slice(at + 1));
  const word = prefix.length >= 1 && prefix.length <= 16 && /^[A-Za-z][A-Za-z0-9]*$/.test(prefix);
  return word && rest.length >= 8 ? { prefix: `${prefix}_`, rest } : undefined;
}

// Strict base64 in its four common forms (standard or URL-safe alphabet, padded or not): canonical
// padding (or none), no stray characters, and zero trailing bits.
const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = `${STANDARD.slice(0, 62)}-_`;
const ENGINES = [
  [STANDARD, true],
  [URL_SAFE, true],
  [STANDARD, false],
  [URL_SAFE, false],
];

function decodeBase64(bytes, alphabet, padded) {
  let end = bytes.length;
  if (padded) {
    if (end % 4 !== 0) return undefined;
    let pads = 0;
    while (pads < 2 && end > 0 && bytes[end - 1] === 61) {
      end -= 1;
      pads += 1;
    }
  }
  if (end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < end; i += 1) {
    const value = alphabet.indexOf(String.fromCharCode(bytes[i]));
    if (value < 0) return undefined;
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[at++] = (bits >> count) & 0xff;
    }
  }
  if ((bits & ((1 << count) - 1)) !== 0) return undefined; // trailing bits must be zero
  return out;
}

const anyBase64 = (bytes) => ENGINES.map(([alphabet, padded]) => decodeBase64(bytes, alphabet, padded)).filter(Boolean);

function base64Decoded(bytes) {
  if (bytes.length < 12) return undefined;
  const [decoded] = anyBase64(bytes);
  return decoded?.length ? decoded : undefined;
}

/** Each byte as the character of that code point (Latin-1 read as text). */
function latin1(bytes) {
  let chars = '';
  for (let i = 0; i < bytes.length; i += 4096) chars += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return chars;
}

const base64Encoded = (bytes) => encoder.encode(btoa(latin1(bytes)));

/** The secret variants worth a hash, each with the findings that explain it; at most three. */
function secretVariants(secret, whitespace) {
  const variants = [];
  const baseCodes = [];
  let base = secret;
  if (whitespace) {
    baseCodes.push('SECRET_WHITESPACE');
    base = whitespace.trimmed;
    variants.push([[...baseCodes], base]);
  }
  let encoded = base;
  const prefixed = secretPrefix(base);
  if (prefixed) {
    variants.push([[...baseCodes, 'SECRET_PREFIX'], prefixed.rest]);
    encoded = prefixed.rest;
  }
  const decoded = base64Decoded(encoded);
  if (decoded) {
    const codes = [...baseCodes];
    if (encoded.length !== base.length) codes.push('SECRET_PREFIX');
    codes.push('SECRET_BASE64');
    variants.push([codes, decoded]);
  }
  // Bytes that are not printable text may be a decoded secret that Elenik uses as text.
  if (!isText(base)) variants.push([[...baseCodes, 'SECRET_BASE64'], base64Encoded(base)]);
  return variants;
}

function replace(haystack, from, to) {
  const out = [];
  for (let i = 0; i < haystack.length; ) {
    if (from.every((byte, k) => haystack[i + k] === byte)) {
      out.push(...to);
      i += from.length;
    } else {
      out.push(haystack[i]);
      i += 1;
    }
  }
  return Uint8Array.from(out);
}

const equal = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);
const ASCII_SPACE = new Set([0x20, 0x09, 0x0a, 0x0c, 0x0d]); // space, tab, LF, FF, CR (not VT)

/** The body variants worth a hash, each with the finding that explains it; at most five. */
function bodyVariants(payload, original) {
  const variants = [];
  let end = payload.length;
  while (end > 0 && ASCII_SPACE.has(payload[end - 1])) end -= 1;
  if (end < payload.length && payload[payload.length - 1] === 0x0a) variants.push(['BODY_TRAILING_NEWLINE', payload.subarray(0, end)]);
  const crlf = payload.some((byte, i) => byte === 0x0d && payload[i + 1] === 0x0a);
  if (crlf) variants.push(['BODY_LINE_ENDINGS', replace(payload, [0x0d, 0x0a], [0x0a])]);
  else if (payload.includes(0x0a)) variants.push(['BODY_LINE_ENDINGS', replace(payload, [0x0a], [0x0d, 0x0a])]);
  const body = text(payload);
  if (body !== undefined) {
    // What a JS body parser would have hashed: JavaScript's own JSON.stringify, byte for byte.
    let forms;
    try {
      const value = parse(original ?? body);
      forms = [stringify(value), stringify(value, null, 2)];
    } catch {
      forms = undefined; // not JSON, or nested too deep for this stack
    }
    if (forms) {
      for (const [code, form] of [['BODY_RESERIALIZED', forms[0]], ['BODY_REINDENTED', forms[1]]]) {
        const bytes = encoder.encode(form);
        if (!equal(bytes, payload)) variants.push([code, bytes]);
      }
    }
    // UTF-8 text whose characters all fit Latin-1: its Latin-1 bytes (this also undoes a double
    // encoding: a body decoded as Latin-1, then hashed as UTF-8).
    const chars = [...body].map((c) => c.codePointAt(0));
    if (chars.some((c) => c > 0x7f) && chars.every((c) => c <= 0xff)) variants.push(['BODY_LATIN1', Uint8Array.from(chars)]);
  } else {
    // Not UTF-8: perhaps Latin-1 bytes of a body that was signed as UTF-8.
    variants.push(['BODY_LATIN1', encoder.encode(latin1(payload))]);
  }
  return variants;
}

/** Says what is wrong with the first signature without echoing the header's text. */
function malformedMessage(header) {
  const first = header.split(',').map(rustTrim).find((part) => part !== '') ?? '';
  const equals = first.indexOf('=');
  const digits = equals < 0 ? first : rustTrim(first.slice(equals + 1));
  const count = [...digits].length;
  if (count === 64) return 'the signature has 64 characters but not all are hexadecimal digits';
  if (anyBase64(encoder.encode(digits)).some((decoded) => decoded.length === 32)) {
    return `the signature has ${count} characters and looks base64-encoded; Elenik sends 64 hex digits`;
  }
  return `the signature has ${count} characters where 64 hexadecimal digits are expected`;
}

function headerFinding(error, header) {
  const unsupported = /^unsupported algorithm `([^`]*)`/.exec(error.message);
  if (unsupported) return finding('UNSUPPORTED_ALGORITHM', `the header is signed with \`${unsupported[1]}\`, not \`sha256\``);
  if (error.code === 'MALFORMED_SIGNATURE') {
    const limit = /longer than \d+ bytes|more than \d+ signatures/.exec(error.message);
    if (limit) return finding('MALFORMED_SIGNATURE', `the header ${limit[0].startsWith('longer') ? 'is' : 'holds'} ${limit[0]}`);
    return finding('MALFORMED_SIGNATURE', malformedMessage(header));
  }
  return finding('MISSING_SIGNATURE', 'there is no X-Elenik-Signature header, or it is empty');
}

/** Why `header` is not a valid signature of `payload` with `secret`: findings, empty when valid. */
export function explainMismatch(payload, header, secret) {
  const input = diagnosisInputs(payload, header, secret);
  const whitespace = secretWhitespace(input.secret);
  const findings = [];
  const variants = [];
  try {
    if (input.problem) {
      findings.push(headerFinding(input.problem, input.header));
      if (whitespace) findings.push(whitespace.finding(false));
      return findings;
    }
    if (hmacMatches(input.secret, input.payload)) return findings;
    // Each variant of one input against the other input as given (or with the secret trimmed,
    // since surrounding whitespace is wrong whatever else is): one cause at a time.
    const base = whitespace ? whitespace.trimmed : input.secret;
    variants.push(...secretVariants(input.secret, whitespace));
    let found = variants.find(([, candidate]) => hmacMatches(candidate, input.payload))?.[0];
    if (!found) {
      const bodies = bodyVariants(input.payload, input.text);
      const match = bodies.find(([, candidate]) => hmacMatches(base, candidate));
      if (match) found = whitespace ? ['SECRET_WHITESPACE', match[0]] : [match[0]];
    }
    if (!found) {
      if (whitespace) findings.push(whitespace.finding(false));
      findings.push(
        finding(
          'SECRET_OR_BODY_DIFFERS',
          'the signature was made from other body bytes or with another secret; no common mistake (newlines, re-serialized JSON, prefixes, encodings) explains it',
        ),
      );
      return findings;
    }
    for (const code of found) {
      if (code === 'SECRET_WHITESPACE') findings.push(whitespace.finding(true));
      else if (code === 'SECRET_PREFIX') {
        findings.push(finding(code, `the signature was made with the secret without its \`${secretPrefix(base)?.prefix ?? ''}\` prefix`));
      } else if (code === 'SECRET_BASE64') {
        findings.push(
          finding(
            code,
            isText(base)
              ? 'the signature was made with the bytes the secret base64-decodes to, not its text'
              : 'the signature was made with these secret bytes base64-encoded, as text',
          ),
        );
      } else findings.push(finding(code, CONFIRMED[code]));
    }
    return findings;
  } finally {
    // The copies of the secret this diagnosis made (the caller's own string cannot be wiped).
    input.secret.fill(0);
    whitespace?.trimmed.fill(0);
    for (const [, candidate] of variants) candidate.fill(0);
  }
}
