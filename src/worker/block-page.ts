/**
 * The page a blocked client sees. Replaceable with the BLOCK_PAGE variable (HTML); the
 * placeholders {{status}}, {{reason}} and {{unique_id}} are replaced (HTML-escaped). The unique
 * id is the one in the alert log lines, so a user's report can be matched to the alert.
 */
export const DEFAULT_BLOCK_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{status}} {{reason}}</title></head>
<body>
<h1>{{status}} {{reason}}</h1>
<p>This request was blocked by the web application firewall.</p>
<p>Reference: <code>{{unique_id}}</code></p>
</body>
</html>
`

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
}

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'Blocked')
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';')
}

export function renderBlockPage(template: string | undefined, status: number, uniqueId: string): string {
  const t = template === undefined || template === '' ? DEFAULT_BLOCK_PAGE : template
  return t
    .replaceAll('{{status}}', String(status))
    .replaceAll('{{reason}}', escapeHtml(reasonPhrase(status)))
    .replaceAll('{{unique_id}}', escapeHtml(uniqueId))
}
