// The warning for a handler registered with on() for a type this version does not document: most
// likely a typo, so it names the closest documented type.
import { EVENT_TYPES } from '../core/constants.js';

/** The warning for `receiver.on(type)` with a type this version does not document. */
export function unknownTypeWarning(type) {
  return (
    `receiver.on(${JSON.stringify(type)}): not an event type this version documents; the closest is ` +
    `${JSON.stringify(closestType(type))}. Its handler runs only for events of exactly this type. For a ` +
    `type Elenik added after this version, register it with receiver.onUnknown(${JSON.stringify(type)}, handler).`
  );
}

/** The documented event type nearest to `type` by edit distance (Levenshtein), the first on a tie. */
function closestType(type) {
  let best = EVENT_TYPES[0];
  let bestDistance = Infinity;
  for (const known of EVENT_TYPES) {
    const distance = editDistance(type, known);
    if (distance < bestDistance) [best, bestDistance] = [known, distance];
  }
  return best;
}

function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}
