/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A whole page: one stylesheet, page scripts from files only (the CSP forbids inline scripts). */
export function page(p: {
  lang: string;
  title: string;
  body: string;
  styles?: string[];
  scripts?: string[];
}): string {
  const styles = ['/assets/cairnet.css', ...(p.styles ?? [])];
  return `<!doctype html>
<html lang="${escapeHtml(p.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
${styles.map((s) => `<link rel="stylesheet" href="${escapeHtml(s)}">`).join('\n')}
</head>
<body>
${p.body}
${(p.scripts ?? []).map((s) => `<script src="${escapeHtml(s)}"></script>`).join('\n')}
</body>
</html>`;
}
