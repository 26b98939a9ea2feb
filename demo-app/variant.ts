// The demo app's two faces. "standard" keeps the simplest form of every promise in TARGET.md;
// "alternate" shows at once every variation TARGET.md says a production build may show
// (decorated names, a cart indicator whose role changes, other wrappers and order, extra
// elements, emoji headings, brief toasts), so that workflows are proven against both.
import type { RequestContext } from './router.ts';

export const variants = ['standard', 'alternate'] as const;
export type Variant = (typeof variants)[number];

/** A known face, or one line naming what was wrong. */
export function parseVariant(text: string): Variant | { problem: string } {
  const value = text.trim().toLowerCase();
  if (value === '') return 'standard';
  return (variants as readonly string[]).includes(value)
    ? (value as Variant)
    : { problem: `unknown variant "${text.trim()}"; known variants: ${variants.join(', ')}` };
}

export function isAlternate(ctx: RequestContext): boolean {
  return ctx.app.variant === 'alternate';
}

/** The alternate face's heading decoration: an emoji before the words. */
export function decorate(alt: boolean, emoji: string, text: string): string {
  return alt ? `${emoji} ${text}` : text;
}
