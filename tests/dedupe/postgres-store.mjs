// The README's "your own store" example for Postgres, as a user would write it, so that the
// contract suite proves the SQL the README shows (run on PGlite, Postgres compiled to Wasm).
// `db.query(sql, params)` → { rows, affectedRows }, as PGlite answers (node-postgres: rowCount).
export const SCHEMA = `CREATE TABLE IF NOT EXISTS elenik_deliveries (
  key text PRIMARY KEY, token text NOT NULL, done boolean NOT NULL, expires_at timestamptz NOT NULL)`;

export function postgresStore(db) {
  return {
    async claim(key, token, leaseSeconds) {
      const claimed = await db.query(
        `INSERT INTO elenik_deliveries AS d (key, token, done, expires_at)
         VALUES ($1, $2, false, now() + make_interval(secs => $3))
         ON CONFLICT (key) DO UPDATE SET token = excluded.token, done = false, expires_at = excluded.expires_at
           WHERE d.expires_at <= now()
         RETURNING key`,
        [key, token, leaseSeconds],
      );
      if (claimed.rows.length === 1) return 'claimed';
      const { rows } = await db.query('SELECT done FROM elenik_deliveries WHERE key = $1', [key]);
      return rows[0]?.done ? 'done' : 'processing';
    },
    async complete(key, token, ttlSeconds) {
      const result = await db.query(
        `UPDATE elenik_deliveries SET done = true, expires_at = now() + make_interval(secs => $3)
         WHERE key = $1 AND token = $2 AND NOT done AND expires_at > now()`,
        [key, token, ttlSeconds],
      );
      return result.affectedRows === 1;
    },
    async release(key, token) {
      const result = await db.query(
        'DELETE FROM elenik_deliveries WHERE key = $1 AND token = $2 AND NOT done AND expires_at > now()',
        [key, token],
      );
      return result.affectedRows === 1;
    },
  };
}
