// Shields-style flat badges: a grey label and a coloured value, widths from a per-character
// estimate of Verdana 11px (what shields uses), text escaped.
import { escapeHtml } from './html.ts';

const narrow = new Set([..."fijlrt.,:;!|'()[] 1"]);
const textWidth = (s: string) =>
  [...s].reduce((w, c) => w + (narrow.has(c) ? 4 : c >= 'A' && c <= 'Z' ? 8 : c === '%' ? 10 : 7), 0);

export const badgeColors = {
  green: '#4c1',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  grey: '#9f9f9f',
} as const;
export type BadgeColor = keyof typeof badgeColors;

export function badgeSvg(label: string, value: string, color: BadgeColor): string {
  const lw = textWidth(label) + 10;
  const vw = textWidth(value) + 10;
  const w = lw + vw;
  const l = escapeHtml(label);
  const v = escapeHtml(value);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${v}"><title>${l}: ${v}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)">` +
    `<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${badgeColors[color]}"/><rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text>` +
    `<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${v}</text><text x="${lw + vw / 2}" y="14">${v}</text></g></svg>`
  );
}

export function uptimeColor(v: number | null): BadgeColor {
  if (v === null) return 'grey';
  return v >= 0.999 ? 'green' : v >= 0.99 ? 'yellow' : v >= 0.95 ? 'orange' : 'red';
}

export const stateColor: Record<string, BadgeColor> = {
  Operational: 'green',
  Degraded: 'yellow',
  Outage: 'red',
  Maintenance: 'blue',
  'No data': 'grey',
};
