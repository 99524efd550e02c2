import type { PageAssets } from './page-bundle';
import type { StaticData } from './viewer-data';

/**
 * The viewer's one page, served or exported: its style and script inline, and, for an export, its
 * data inline too. The content security policy forbids every load from elsewhere; a served page may
 * only ask its own server for data.
 */

export const STATIC_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
const SERVED_POLICY = `${STATIC_POLICY}; connect-src 'self'`;

/** JSON inside a script element: nothing in it may close the element or open a comment. */
export const scriptSafe = (json: string): string => json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Code inside a script element: nothing in it may close the element. */
export const scriptCodeSafe = (code: string): string => code.replace(/<\/script/gi, '<\\/script');

export function viewerHtml(assets: PageAssets, title: string, data?: StaticData): string {
  const policy = data === undefined ? SERVED_POLICY : STATIC_POLICY;
  const embedded = data === undefined ? '' : `<script type="application/json" id="viewer-data">${scriptSafe(JSON.stringify(data))}</script>\n`;
  const escapedTitle = title.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>${escapedTitle}</title>
<style>${assets.style}</style>
</head>
<body>
<main id="app"><p>Loading…</p></main>
${embedded}<script>${scriptCodeSafe(assets.script)}</script>
</body>
</html>
`;
}
