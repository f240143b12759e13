// Argument checks the shipped stores share (the receiver always passes valid ones; a store used
// directly gets a clear error instead of a corrupt record).

/** A lease or TTL in milliseconds; `seconds` must be a positive finite number. */
export function milliseconds(seconds, name) {
  if (!(typeof seconds === 'number' && seconds > 0 && Number.isFinite(seconds))) {
    throw new RangeError(`${name} must be a positive number of seconds`);
  }
  return seconds * 1000;
}

/** A delivery key and a claim token: non-empty strings. */
export function checkKeyAndToken(key, token) {
  if (typeof key !== 'string' || key === '') throw new TypeError('key must be a non-empty string');
  if (typeof token !== 'string' || token === '') throw new TypeError('token must be a non-empty string');
}
