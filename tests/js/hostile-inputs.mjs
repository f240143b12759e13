// Hostile inputs for tests/js/hostile.test.mjs: every kind of value a caller or an attacker can
// put in a payload, header or secret slot. Each entry is made fresh by `make()` (a detached
// buffer or a revoked proxy is used up by one call). `cls` names the class in SECURITY.md's table.
import vm from 'node:vm';

export const MARK = 'hostile-marker';
/** The error every trap and getter below throws: if it escapes, it must escape unchanged. */
export class HostileError extends Error {
  constructor(where) {
    super(`${MARK}: ${where}`);
  }
}
const boom = (where) => () => {
  throw new HostileError(where);
};

const detach = (buffer) => {
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
};
const bytesOf = (...b) => new Uint8Array(b);
const throwingTraps = (where) => ({
  get: boom(`${where} get`),
  has: boom(`${where} has`),
  ownKeys: boom(`${where} ownKeys`),
  getOwnPropertyDescriptor: boom(`${where} getOwnPropertyDescriptor`),
  getPrototypeOf: boom(`${where} getPrototypeOf`),
  apply: boom(`${where} apply`),
});
const revoked = (target) => {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
};
const lyingUint8Array = (prop, value) => {
  class Liar extends Uint8Array {}
  Object.defineProperty(Liar.prototype, prop, { get: typeof value === 'function' ? value : () => value });
  return Liar;
};
const lyingArrayBuffer = (value) => {
  class Liar extends ArrayBuffer {}
  Object.defineProperty(Liar.prototype, 'byteLength', { get: typeof value === 'function' ? value : () => value });
  return Liar;
};
const deep = (open, close, n) => open.repeat(n) + close.repeat(n);

/**
 * @param {{ body: string, header: string, other: string, secret: string }} good
 * @returns {{ name: string, cls: string, make: () => unknown }[]}
 */
export function hostileInputs(good) {
  const hex = good.header.slice('sha256='.length);
  const list = [];
  const add = (cls, name, make) => list.push({ cls, name, make });

  // Wrong types.
  const wrong = {
    undefined: () => undefined, null: () => null, true: () => true, false: () => false,
    0: () => 0, '-0': () => -0, 42: () => 42, NaN: () => NaN, Infinity: () => Infinity,
    '-Infinity': () => -Infinity, 'MAX_SAFE+2': () => 2 ** 53 + 2, '1n': () => 1n, '-1n': () => -1n,
    'Symbol()': () => Symbol('x'), 'Symbol.iterator': () => Symbol.iterator,
    function: () => function f() {}, arrow: () => () => good.body, 'async function': () => async () => {},
    generator: () => function* g() {}, class: () => class C {}, '{}': () => ({}), '[]': () => [],
    '[[]]': () => [[]], '[null]': () => [null], '[undefined]': () => [undefined], Date: () => new Date(0),
    RegExp: () => /sha256=/g, Map: () => new Map([['x-elenik-signature', good.header]]), Set: () => new Set([good.header]),
    WeakMap: () => new WeakMap(), Promise: () => Promise.resolve(good.body), Error: () => new Error(good.header),
    'Object.create(null)': () => Object.create(null), 'new Number': () => new Number(1),
    'new String(body)': () => new String(good.body), 'new Boolean': () => new Boolean(false), Math: () => Math,
    globalThis: () => globalThis, JSON: () => JSON, 'parsed JSON': () => JSON.parse(good.body),
    'toString throws': () => ({ toString: boom('toString') }), 'valueOf throws': () => ({ valueOf: boom('valueOf') }),
    'Symbol.toPrimitive throws': () => ({ [Symbol.toPrimitive]: boom('toPrimitive') }),
    'toJSON throws': () => ({ toJSON: boom('toJSON') }), 'then throws': () => ({ then: boom('then') }),
    'WebAssembly.Memory': () => new WebAssembly.Memory({ initial: 1 }), 'array-like': () => ({ length: 1, 0: good.secret }),
    'Object with 10k keys': () => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
  };
  for (const [name, make] of Object.entries(wrong)) add('wrong types', name, make);

  // Strings: empty, huge, odd code points, surrogates.
  const strings = {
    '""': '', '" "': ' ', whitespace: ' \t\r\n\f\v', NUL: '\0', '100 NULs': '\0'.repeat(100),
    '10 MiB': 'a'.repeat(10 * 1024 * 1024), '1 MiB of hex': 'ab'.repeat(512 * 1024), 'é x3000 (6000 UTF-8 bytes)': 'é'.repeat(3000),
    'emoji x1100 (4400 UTF-8 bytes)': '😀'.repeat(1100), 'lone high surrogate': '\uD800', 'lone low surrogate': '\uDFFF',
    'a\\uD800b': 'a\uD800b', 'reversed pair': '\uDC00\uD800', 'sha256= + 64 lone surrogates': `sha256=${'\uD800'.repeat(64)}`,
    'hex + lone surrogate': `sha256=${hex}\uD800`, BOM: '\uFEFF', 'BOM + body': `\uFEFF${good.body}`, 'RTL override': '\u202E',
    'U+FFFF': '\uFFFF', 'U+10FFFF': '\u{10FFFF}', 'Zalgo': 'z̴̡̛̖̗̘̙̜̝̞̟̠̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎'.repeat(50), 'fullwidth hex': `sha256=${'ａ'.repeat(64)}`,
    'Arabic-Indic digits': `sha256=${'٠'.repeat(64)}`, 'good body with a NUL': `${good.body}\0`,
    'body as UTF-16 lookalike': good.body.replaceAll('e', 'е'),
  };
  for (const [name, value] of Object.entries(strings)) add('strings (empty, huge, surrogates, Unicode)', name, () => value);

  // Signature headers: limits, many signatures, every grammar corner.
  const headers = {
    'header 4096 bytes (valid, padded)': ' '.repeat(4096 - good.header.length) + good.header,
    'header 4097 bytes (valid, padded)': ' '.repeat(4097 - good.header.length) + good.header,
    'header 64 KiB': `${good.header},${'x'.repeat(65536)}`, '8 signatures (8th valid)': [...Array(7).fill(`sha256=${good.other}`), good.header].join(','),
    '9 signatures (9th valid)': [...Array(8).fill(`sha256=${good.other}`), good.header].join(','),
    '9 signatures (1st valid)': [good.header, ...Array(8).fill(`sha256=${good.other}`)].join(','),
    '1000 signatures': Array(1000).fill(good.header).join(','), '5000 commas': ','.repeat(5000), 'sha256=': 'sha256=', sha256: 'sha256',
    '=': '=', '==': '==', ',': ',', 'sha256==hex': `sha256==${hex}`, 'sha256=sha256=hex': `sha256=sha256=${hex}`,
    'sha1=': `sha1=${hex.slice(0, 40)}`, 'sha512=': `sha512=${hex}${hex}`, 'v1=': `v1=${hex}`, 'SHA-256=': `SHA-256=${hex}`,
    'hmac-sha256=': `hmac-sha256=${hex}`, 'long algorithm name': `${'x'.repeat(200)}=${hex}`, 'odd prefix chars': `<script>=${hex}`,
    '63 hex': `sha256=${hex.slice(1)}`, '65 hex': `sha256=${hex}0`, '128 hex': `sha256=${hex}${hex}`, 'non-hex G': `sha256=${'G'.repeat(64)}`,
    '0x prefix': `sha256=0x${hex.slice(2)}`, 'hex with inner space': `sha256=${hex.slice(0, 32)} ${hex.slice(32)}`,
    'base64 digest': `sha256=${Buffer.from(hex, 'hex').toString('base64')}`, 'hex with NUL': `sha256=${hex.slice(0, 63)}\0`,
    'uppercase other': `SHA256=${good.other.toUpperCase()}`, 'semicolons': `sha256=${good.other};sha256=${hex}`,
    't=,v1= (Stripe style)': `t=1,v1=${hex}`, 'quoted': `"sha256=${hex}"`, 'newline injection': `sha256=${good.other}\r\nx-elenik-signature: ${good.header}`,
  };
  for (const [name, value] of Object.entries(headers)) add('signature headers (limits, 9+ signatures, grammar)', name, () => value);

  // JSON bodies: nesting, duplicates, numbers, prototype keys.
  const json = {
    'nesting 10,000 arrays': deep('[', ']', 10_000), 'nesting 10,000 objects': deep('{"a":', '}', 10_000).replace(/\}$/, '0}'),
    'nesting 128 in data': `{"event":"x","data":${deep('[', ']', 126)}}`, 'nesting 129 in data': `{"event":"x","data":${deep('[', ']', 128)}}`,
    'nesting 100,000 unclosed': '['.repeat(100_000), 'duplicate event': '{"event":"a","event":"b","data":{}}',
    'duplicate in data': '{"event":"a","data":{"k":1,"k":2}}', '__proto__ key': '{"event":"x","data":{"__proto__":{"polluted":true}},"__proto__":1}',
    'constructor key': '{"event":"x","data":{"constructor":{"prototype":{"polluted":true}}}}', '1e999': '{"event":"x","data":{"n":1e999}}',
    '10,000-digit number': `{"event":"x","data":{"n":${'9'.repeat(10_000)}}}`, 'escaped lone surrogate': '{"event":"x\\ud800","data":{}}',
    'trailing comma': '{"event":"x","data":{},}', 'trailing garbage': `${good.body}x`, 'two documents': `${good.body}${good.body}`,
    'JSON null': 'null', 'JSON array': '[]', 'JSON string': '"x"', 'event empty': '{"event":"","data":{}}',
    'data array': '{"event":"x","data":[]}', 'amount NaN text': '{"event":"payment_verified","data":{"user_id":"u","amount":NaN,"currency":"USD"}}',
    'created_at 2^53': `{"event":"task_complete","data":{"task_id":"t","status":"s","created_at":${2 ** 53}}}`,
    'created_at -1': '{"event":"task_complete","data":{"task_id":"t","status":"s","created_at":-1}}',
    'currency lowercase': '{"event":"payment_verified","data":{"user_id":"u","amount":1,"currency":"usd"}}',
    'comments': `/* x */${good.body}`, '1 MiB string value': `{"event":"x","data":{"s":"${'a'.repeat(1 << 20)}"}}`,
  };
  for (const [name, value] of Object.entries(json)) add('JSON bodies (deep nesting, duplicates, odd numbers)', name, () => value);

  // Bytes that are not UTF-8, and every kind of buffer and view.
  const bytes = {
    'Uint8Array(0)': () => new Uint8Array(0), '0xff': () => bytesOf(0xff), '0xc3 0x28': () => bytesOf(0xc3, 0x28),
    'continuation only': () => bytesOf(0xa0, 0xa1), 'truncated 3-byte': () => bytesOf(0xe2, 0x28, 0xa1),
    'overlong /': () => bytesOf(0xc0, 0xaf), 'UTF-8 surrogate': () => bytesOf(0xed, 0xa0, 0x80), 'above U+10FFFF': () => bytesOf(0xf4, 0x90, 0x80, 0x80),
    'body + 0xff': () => Buffer.concat([Buffer.from(good.body), bytesOf(0xff)]), 'UTF-16LE body': () => Buffer.from(good.body, 'utf16le'),
    '16 MiB zeros': () => new Uint8Array(16 << 20), 'Int8Array': () => new Int8Array([1, -1]), 'Int16Array': () => new Int16Array([1, -1]),
    'Uint16Array': () => new Uint16Array(3), 'Int32Array': () => new Int32Array([0x7b226576]), 'Float32Array NaN': () => new Float32Array([NaN]),
    'Float64Array': () => new Float64Array([Infinity]), 'BigInt64Array': () => new BigInt64Array([-1n]), 'BigUint64Array': () => new BigUint64Array(2),
    'Uint8ClampedArray': () => new Uint8ClampedArray(Buffer.from(good.body)), 'DataView': () => new DataView(Buffer.from(good.body).buffer),
    'DataView with offset': () => new DataView(new ArrayBuffer(16), 3, 5), 'Buffer subarray': () => Buffer.from(`xx${good.body}yy`).subarray(2, -2),
    'Buffer.alloc(0)': () => Buffer.alloc(0), 'ArrayBuffer(0)': () => new ArrayBuffer(0),
    'SharedArrayBuffer': () => new SharedArrayBuffer(8), 'Uint8Array on SharedArrayBuffer': () => new Uint8Array(new SharedArrayBuffer(8)),
    'detached ArrayBuffer': () => detach(new ArrayBuffer(64)), 'Uint8Array of detached': () => {
      const view = new Uint8Array(64);
      detach(view.buffer);
      return view;
    },
    'DataView of detached': () => {
      const view = new DataView(new ArrayBuffer(64));
      detach(view.buffer);
      return view;
    },
    'Buffer of detached': () => {
      const b = new ArrayBuffer(64);
      const view = Buffer.from(b, 8, 8);
      detach(b);
      return view;
    },
    'resizable buffer shrunk under its view': () => {
      const b = new ArrayBuffer(64, { maxByteLength: 128 });
      const view = new Uint8Array(b, 32, 16);
      b.resize(8);
      return view;
    },
    'length-tracking view': () => {
      const b = new ArrayBuffer(8, { maxByteLength: 128 });
      const view = new Uint8Array(b);
      b.resize(100);
      return view;
    },
    'DataView out of bounds': () => {
      const b = new ArrayBuffer(64, { maxByteLength: 128 });
      const view = new DataView(b, 32, 16);
      b.resize(8);
      return view;
    },
    'cross-realm Uint8Array': () => vm.runInNewContext('new Uint8Array([123, 125])'),
    'cross-realm ArrayBuffer': () => vm.runInNewContext('new ArrayBuffer(4)'),
    'cross-realm DataView': () => vm.runInNewContext('new DataView(new ArrayBuffer(4))'),
  };
  for (const [name, make] of Object.entries(bytes)) add('bytes (non-UTF-8, views, detached, shared, resized)', name, make);

  // Objects that pretend to be bytes, or lie about them.
  const liars = {
    'Uint8Array length 0 (really 64)': () => new (lyingUint8Array('length', 0))(64),
    'Uint8Array length 2^31': () => new (lyingUint8Array('length', 2 ** 31))(8),
    'Uint8Array length 2^32+1': () => new (lyingUint8Array('length', 2 ** 32 + 1))(8),
    'Uint8Array length -1': () => new (lyingUint8Array('length', -1))(8),
    'Uint8Array length NaN': () => new (lyingUint8Array('length', NaN))(8),
    'Uint8Array length throws': () => new (lyingUint8Array('length', boom('length')))(8),
    'Uint8Array byteLength 2^31': () => new (lyingUint8Array('byteLength', 2 ** 31))(8),
    'Uint8Array byteOffset huge': () => new (lyingUint8Array('byteOffset', 2 ** 40))(8),
    'Uint8Array buffer throws': () => new (lyingUint8Array('buffer', boom('buffer')))(8),
    'Uint8Array buffer another': () => new (lyingUint8Array('buffer', new ArrayBuffer(1 << 20)))(8),
    'Int32Array byteLength throws': () => {
      class Liar extends Int32Array {}
      Object.defineProperty(Liar.prototype, 'byteLength', { get: boom('byteLength') });
      return new Liar(2);
    },
    'DataView buffer lies': () => {
      class Liar extends DataView {}
      Object.defineProperty(Liar.prototype, 'buffer', { get: () => new ArrayBuffer(1 << 20) });
      Object.defineProperty(Liar.prototype, 'byteLength', { get: () => 1 << 20 });
      return new Liar(new ArrayBuffer(4));
    },
    'ArrayBuffer byteLength 2^31': () => new (lyingArrayBuffer(2 ** 31))(8),
    'ArrayBuffer byteLength throws': () => new (lyingArrayBuffer(boom('byteLength')))(8),
    'ArrayBuffer byteLength -5': () => new (lyingArrayBuffer(-5))(8),
    'Uint8Array.prototype on a plain object': () => Object.setPrototypeOf({}, Uint8Array.prototype),
    'ArrayBuffer.prototype on a plain object': () => Object.setPrototypeOf({}, ArrayBuffer.prototype),
    'Uint8Array.prototype on an array': () => Object.setPrototypeOf([1, 2, 3], Uint8Array.prototype),
    'Buffer.prototype on a string object': () => Object.setPrototypeOf(new String('abc'), Buffer.prototype),
    'fake view object': () => ({ buffer: new ArrayBuffer(8), byteOffset: 0, byteLength: 8, length: 8 }),
    'toStringTag Uint8Array': () => ({ [Symbol.toStringTag]: 'Uint8Array', length: 4 }),
    'Proxy of Uint8Array': () => new Proxy(new Uint8Array(8), {}),
    'Proxy of Uint8Array, throwing traps': () => new Proxy(new Uint8Array(8), throwingTraps('u8 proxy')),
    'Proxy of Uint8Array, lying length': () => new Proxy(new Uint8Array(8), { get: (t, k) => (k === 'length' ? 1e9 : Reflect.get(t, k)) }),
    'Proxy of ArrayBuffer': () => new Proxy(new ArrayBuffer(8), {}),
    'Proxy of ArrayBuffer, throwing traps': () => new Proxy(new ArrayBuffer(8), throwingTraps('ab proxy')),
    'revoked Proxy of Uint8Array': () => revoked(new Uint8Array(8)),
    'revoked Proxy of ArrayBuffer': () => revoked(new ArrayBuffer(8)),
  };
  for (const [name, make] of Object.entries(liars)) add('objects that lie about being bytes (subclasses, proxies)', name, make);

  // Header objects: getters and proxies that throw, odd values, huge lists.
  const name = 'x-elenik-signature';
  const headerObjects = {
    'header value number': () => ({ [name]: 123 }), 'header value object': () => ({ [name]: { toString: () => good.header } }),
    'header value [good, 1]': () => ({ [name]: [good.header, 1] }), 'header value [[good]]': () => ({ [name]: [[good.header]] }),
    'header value 10,000-item array': () => ({ [name]: Array(10_000).fill(good.other) }), 'header value sparse array': () => ({ [name]: [, , good.header] }), // eslint-disable-line no-sparse-arrays
    'header value array of 9': () => ({ [name]: Array(9).fill(good.header) }), 'header value array 2^32-1 long': () => ({ [name]: new Array(2 ** 32 - 1) }),
    'header getter throws': () => ({ get [name]() { throw new HostileError('header getter'); } }),
    'UPPERCASE getter throws': () => ({ get ['X-ELENIK-SIGNATURE']() { throw new HostileError('header getter'); } }),
    'header value Proxy array throwing': () => ({ [name]: new Proxy([good.header], throwingTraps('header array')) }),
    'header value revoked proxy': () => ({ [name]: revoked([good.header]) }),
    'header array with throwing index getter': () => {
      const values = [good.header];
      Object.defineProperty(values, 0, { get: boom('index getter') });
      return { [name]: values };
    },
    'headers Proxy throwing everything': () => new Proxy({}, throwingTraps('headers proxy')),
    'headers Proxy ownKeys huge': () => new Proxy({}, { ownKeys: () => Array.from({ length: 100_000 }, (_, i) => `k${i}`) }),
    'revoked headers Proxy': () => revoked({ [name]: good.header }), 'revoked array Proxy': () => revoked([good.header]),
    'get() throws': () => ({ get: boom('get()') }), 'get() returns number': () => ({ get: () => 7 }),
    'get() returns array of 9': () => ({ get: () => Array(9).fill(good.header) }), 'get() returns huge string': () => ({ get: () => 'x'.repeat(1 << 20) }),
    'get() returns throwing proxy': () => ({ get: () => new Proxy([], throwingTraps('get() result')) }),
    'get() returns revoked proxy': () => ({ get: () => revoked([]) }), 'get is a string': () => ({ get: 'sha256' }),
    'get is a getter that throws': () => ({ get get() { throw new HostileError('get getter'); } }),
    'Headers without the header': () => new Headers({ 'x-other': 'y' }), 'Headers with 9 signatures': () => new Headers({ [name]: Array(9).fill(good.header).join(',') }),
    'Symbol-keyed header': () => ({ [Symbol(name)]: good.header }), 'header under __proto__': () => Object.create({ [name]: good.header }),
    'array header, Proxy length 1e9': () => new Proxy([good.header], { get: (t, k) => (k === 'length' ? 1e9 : Reflect.get(t, k)) }),
    'array header of numbers': () => [1, 2, 3],
  };
  for (const [n, make] of Object.entries(headerObjects)) add('header objects (throwing getters, proxies, odd values)', n, make);

  // Secrets: empty, too many, odd kinds.
  const secrets = {
    'empty array': () => [], '[""]': () => [''], 'Uint8Array(0)': () => new Uint8Array(0), '16 secrets': () => Array(16).fill('s'),
    '17 secrets': () => Array(17).fill('s'), '2^32-1 empty slots': () => new Array(2 ** 32 - 1), '[secret, {}]': () => [good.secret, {}],
    '[secret, null]': () => [good.secret, null], '[[secret]]': () => [[good.secret]], '1 MiB secret': () => 's'.repeat(1 << 20),
    'secret with lone surrogate': () => `${good.secret}\uD800`, 'ArrayBuffer secret': () => new TextEncoder().encode(good.secret).buffer,
    'Int8Array secret': () => new Int8Array(4), 'secrets Proxy throwing': () => new Proxy([good.secret], throwingTraps('secrets')),
    'secrets Proxy length 1e9': () => new Proxy([good.secret], { get: (t, k) => (k === 'length' ? 1e9 : Reflect.get(t, k)) }),
    'secrets array with throwing getter': () => {
      const values = [good.secret];
      Object.defineProperty(values, 0, { get: boom('secret getter') });
      return values;
    },
    'sparse 16': () => new Array(16), 'cross-realm Uint8Array secret': () => vm.runInNewContext('new Uint8Array([1, 2, 3])'),
    'Uint8Array secret, lying length': () => new (lyingUint8Array('length', 2 ** 31))(4),
  };
  for (const [n, make] of Object.entries(secrets)) add('secrets (empty, 17, odd kinds)', n, make);

  return list;
}
