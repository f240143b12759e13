// Imported by startup.mjs to warm up the ESM loader before the package is timed.
export const trivial = true;
