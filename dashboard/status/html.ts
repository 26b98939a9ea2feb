// HTML built from text: every interpolated value is escaped unless it is already Html.
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

export const escapeHtml = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Value = string | number | Html | null | undefined | false | readonly Value[];
const render = (v: Value): string =>
  v === null || v === undefined || v === false
    ? ''
    : v instanceof Html
      ? v.text
      : Array.isArray(v)
        ? v.map(render).join('')
        : escapeHtml(String(v));

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}
