// The HTML part of alert e-mails: tables and inline styles only, since mail clients ignore
// stylesheets and most of CSS.
import type { Alert } from '../alert.ts';
import { digestLineParts, formatTime, showTraceCommand, viewOf, type Tone } from '../format.ts';
import { truncate } from '../limits.ts';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const toneColor: Record<Tone, string> = { bad: '#d32f2f', warn: '#f57c00', good: '#2e7d32', info: '#5865f2' };

const cell = 'padding:4px 12px 4px 0;vertical-align:top;';

function row(label: string, valueHtml: string): string {
  return `<tr><td style="${cell}color:#555;white-space:nowrap;"><strong>${escapeHtml(label)}</strong></td><td style="${cell}">${valueHtml}</td></tr>`;
}

function link(url: string, label: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : escapeHtml(url);
}

export function emailHtml(alert: Alert, maxErrorChars: number): string {
  const view = viewOf(alert);
  const parts: string[] = [];
  parts.push(
    `<div style="border-left:6px solid ${toneColor[view.tone]};padding:8px 16px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222;">`,
  );
  parts.push(`<h2 style="margin:0 0 8px 0;font-size:18px;">${escapeHtml(view.heading)}</h2>`);
  if (view.summary) parts.push(`<p style="margin:0 0 12px 0;white-space:pre-wrap;">${escapeHtml(view.summary)}</p>`);
  const rows = [...view.facts, ...view.context].map((f) => row(f.label, escapeHtml(f.value)));
  for (const a of view.artifacts) {
    if (a.url) rows.push(row(a.label, link(a.url, `Open ${a.label.toLowerCase()}`)));
    if (a.path)
      rows.push(row(a.label, `<code>${escapeHtml(a.label === 'Trace' ? showTraceCommand(a.path) : a.path)}</code>`));
  }
  if (rows.length > 0)
    parts.push(`<table style="border-collapse:collapse;margin:0 0 12px 0;">${rows.join('')}</table>`);
  if (view.error) {
    parts.push('<p style="margin:0 0 4px 0;"><strong>Error:</strong></p>');
    parts.push(
      `<pre style="background:#f6f8fa;padding:8px;white-space:pre-wrap;word-break:break-word;font-size:12px;margin:0 0 12px 0;">${escapeHtml(truncate(view.error, maxErrorChars))}</pre>`,
    );
  }
  if (view.items.length > 0) {
    const items = view.items.map((item) => {
      const p = digestLineParts(item);
      const error = p.error
        ? `<br><span style="color:#666;font-size:12px;">${escapeHtml(truncate(p.error, 500))}</span>`
        : '';
      return `<li style="margin:0 0 6px 0;">${p.icon} <strong>${escapeHtml(p.name)}</strong> · ${escapeHtml(p.rest)}${error}</li>`;
    });
    parts.push(`<ul style="padding-left:18px;margin:0 0 12px 0;">${items.join('')}</ul>`);
  }
  const footer = [view.runId ? `Run ID: ${escapeHtml(view.runId)}` : null, `🕐 ${escapeHtml(formatTime(view.at))}`]
    .filter(Boolean)
    .join(' | ');
  parts.push(`<p style="margin:0;color:#777;font-size:12px;">${footer}</p>`);
  parts.push('</div>');
  return `<!doctype html><html><body>${parts.join('\n')}</body></html>`;
}
