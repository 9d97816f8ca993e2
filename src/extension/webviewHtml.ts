// The one HTML shell of the extension's webviews (the request playground and the fault simulator's live
// view): a strict CSP (scripts by nonce only; styles, fonts and images from the extension's own folders,
// nothing inline), the codicon stylesheet and font, the page's own stylesheet and its script. Local
// resources are limited to dist/ and media/.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

/** The codicon stylesheet the build copies out of @vscode/codicons (its font, codicon.ttf, sits beside it). */
export const CODICONS_CSS = ['dist', 'codicons', 'codicon.css'];

export interface WebviewPage {
  title: string;
  /** The page's script, as path segments under the extension folder. */
  script: string[];
  /** The page's own stylesheet, as path segments under the extension folder (after the codicons). */
  style: string[];
  /** The body's markup before the script (static text only). */
  body: string;
}

/** 32 letters and digits from a secure random source: a new one for every page load. */
export function webviewNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (const b of randomBytes(32)) s += chars[b % chars.length];
  return s;
}

/** The webview options every page of the extension uses: scripts on, command links off, dist/ and media/ only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The CSP of a page whose only script carries `scriptNonce`. */
export function webviewCsp(webview: vscode.Webview, scriptNonce: string): string {
  const src = webview.cspSource;
  return [`default-src 'none'`, `style-src ${src}`, `script-src 'nonce-${scriptNonce}'`, `font-src ${src}`, `img-src ${src} data:`].join('; ');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage, scriptNonce = webviewNonce()): string {
  const uri = (segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp(webview, scriptNonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri(CODICONS_CSS)}">
<link rel="stylesheet" href="${uri(page.style)}">
<title>${page.title}</title>
</head>
<body>
${page.body}
<script nonce="${scriptNonce}" src="${uri(page.script)}"></script>
</body>
</html>`;
}
