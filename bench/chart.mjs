// A dependency-free SVG: one panel per body size, a bar per implementation (median time per
// verification, bytes bodies; Octokit takes strings only), this package's bars in colour.
import { SIZES } from './fixtures.mjs';
import { sizeLabel, time } from './report.mjs';

const IMPLEMENTATIONS = [
  ['Verifier.verify', 'bytes', 'elenik-webhooks Verifier.verify'],
  ['verify', 'bytes', 'elenik-webhooks verify (one-shot)'],
  ['node:crypto createHmac', 'bytes', 'node:crypto createHmac + timingSafeEqual'],
  ['WebCrypto verify (imported key)', 'bytes', 'WebCrypto subtle.verify (key imported once)'],
  ['WebCrypto importKey + verify', 'bytes', 'WebCrypto importKey + subtle.verify'],
  ['@noble/hashes hmac', 'bytes', '@noble/hashes hmac'],
  ['@octokit/webhooks-methods verify', 'string', '@octokit/webhooks-methods verify (string)'],
  ['standardwebhooks Webhook.verify', 'bytes', 'standardwebhooks Webhook.verify'],
];
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function renderChart(results) {
  const labelWidth = 300;
  const barWidth = 330;
  const panelWidth = labelWidth + barWidth + 90;
  const rowHeight = 18;
  const panelHeight = 30 + IMPLEMENTATIONS.length * rowHeight + 14;
  const columns = 2;
  const width = columns * panelWidth + 20;
  const height = 40 + Math.ceil(SIZES.length / columns) * panelHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="600">Median time per webhook verification in Node ${escape(results.versions.node)} (shorter is faster; scale per panel)</text>`,
  ];
  SIZES.forEach((size, p) => {
    const x0 = 10 + (p % columns) * panelWidth;
    const y0 = 40 + Math.floor(p / columns) * panelHeight;
    const rows = IMPLEMENTATIONS.map(([name, kind, label]) => ({
      label,
      ours: label.startsWith('elenik'),
      ns: results.node.find((r) => r.name === name && r.kind === kind && r.size === size)?.median,
    })).filter((r) => r.ns !== undefined);
    const max = Math.max(...rows.map((r) => r.ns));
    parts.push(`<text x="${x0}" y="${y0 + 16}" font-size="13" font-weight="600">${sizeLabel(size)} body</text>`);
    rows.forEach((r, i) => {
      const y = y0 + 26 + i * rowHeight;
      const w = Math.max(1, (r.ns / max) * barWidth);
      parts.push(
        `<text x="${x0 + labelWidth - 6}" y="${y + 12}" text-anchor="end">${escape(r.label)}</text>`,
        `<rect x="${x0 + labelWidth}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowHeight - 5}" fill="${r.ours ? '#d9480f' : '#868e96'}"/>`,
        `<text x="${x0 + labelWidth + w + 4}" y="${y + 12}">${escape(time(r.ns))}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
