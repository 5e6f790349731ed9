// Inputs for test/tools/modsec/record-bodies.mjs: multipart/form-data bodies, malformed and
// evasive ones included. Bodies are binary strings (one char per byte).
const CT = 'multipart/form-data; boundary=XB'
const crlf = (...lines) => lines.join('\r\n')
const lf = (...lines) => lines.join('\n')
const m = (name, body, extra = {}) => ({ name, contentType: CT, body, ...extra })
const ct = (name, contentType, body, extra = {}) => ({ name, contentType, body, ...extra })
const CD = (n) => `Content-Disposition: form-data; name="${n}"`
const CDF = (n, f) => `Content-Disposition: form-data; name="${n}"; filename="${f}"`
const field = (n, v) => crlf('--XB', CD(n), '', v)
const END = '--XB--\r\n'
/** a well-formed body from [name, value] pairs */
const form = (...pairs) => pairs.map(([n, v]) => field(n, v)).join('\r\n') + '\r\n' + END

export default [
  // --- well-formed bodies
  m('one field', form(['a', '1'])),
  m(
    'two fields and a file',
    crlf(
      '--XB',
      CD('a'),
      '',
      '1',
      '--XB',
      CDF('up', 'x.txt'),
      'Content-Type: text/plain',
      '',
      'file body',
      '--XB',
      CD('b'),
      '',
      '2',
      END,
    ),
  ),
  m('two files', crlf('--XB', CDF('f1', 'a.bin'), '', 'AAA', '--XB', CDF('f2', 'b.bin'), '', 'BBBBB', END)),
  m('empty field value', form(['a', ''], ['b', 'x'])),
  m('final boundary without line ending', form(['a', '1']).slice(0, -2)),
  m('field value with CRLF inside', form(['a', 'line1\r\nline2\r\n'])),
  m('field value with NUL and high bytes', form(['a', 'x\x00y\xff\xe9'])),
  m('file with binary content', crlf('--XB', CDF('f', 'b.bin'), '', '\x00\x01\x02\r\n\xff\r\xfe', END)),
  m('duplicate field names', form(['a', '1'], ['a', '2'], ['b', '3'], ['a', '4'])),
  m('many fields', form(...Array.from({ length: 25 }, (_, i) => [`k${i}`, `v${i}`]))),
  m('value ending in CR', form(['a', 'abc\r'])),
  m('value ending in LF', form(['a', 'abc\n'])),
  m(
    'file larger than the 4096 byte line buffer',
    crlf('--XB', CDF('f', 'big.txt'), '', 'y'.repeat(5000), END),
  ),
  m('field line longer than the line buffer', form(['a', 'z'.repeat(4100)], ['b', '2'])),
  m('field of exactly 4095 bytes', form(['a', 'q'.repeat(4095)])),
  m('value with CR at buffer edge', form(['a', 'r'.repeat(4095) + '\r' + 's'])),
  m(
    'part with extra headers',
    crlf(
      '--XB',
      CD('a'),
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'v',
      END,
    ),
  ),
  m('file part header order', crlf('--XB', 'Content-Type: image/png', CDF('img', 'p.png'), '', 'PNG', END)),
  m('empty file', crlf('--XB', CDF('f', 'empty.txt'), '', '', END)),
  m('empty filename', crlf('--XB', CDF('f', ''), '', 'data', END)),
  m('empty name', form(['', 'v'])),
  m(
    'unquoted name and filename',
    crlf('--XB', 'Content-Disposition: form-data; name=a; filename=b.txt', '', 'x', END),
  ),
  m(
    'no space after semicolons',
    crlf('--XB', 'Content-Disposition: form-data;name="a";filename="b"', '', 'x', END),
  ),
  m('spaces around equals', crlf('--XB', 'Content-Disposition: form-data; name = "a"', '', 'x', END)),
  m('trailing semicolon in C-D', crlf('--XB', 'Content-Disposition: form-data; name="a";', '', 'x', END)),
  m('space before first semicolon', crlf('--XB', 'Content-Disposition: form-data ; name="a"', '', 'x', END)),
  m(
    'lowercase header names',
    crlf('--XB', 'content-disposition: form-data; name="a"', 'content-type: text/plain', '', 'x', END),
  ),
  m(
    'escaped quote in filename',
    crlf('--XB', 'Content-Disposition: form-data; name="f"; filename="a\\"b.txt"', '', 'x', END),
  ),
  m(
    'windows path filename with backslashes',
    crlf('--XB', 'Content-Disposition: form-data; name="f"; filename="C:\\temp\\x.txt"', '', 'x', END),
  ),
  m('escaped backslash in name', crlf('--XB', 'Content-Disposition: form-data; name="a\\\\b"', '', 'x', END)),
  m('final boundary first', END),
  m('empty part before final boundary', crlf('--XB', CD('a'), '', '--XB--', '')),
  m('part closed by boundary right after headers', crlf('--XB', CD('a'), '', '--XB', CD('b'), '', 'x', END)),

  // --- Content-Type header and boundary parameter
  ct('quoted boundary', 'multipart/form-data; boundary="XB"', form(['a', '1'])),
  ct(
    'quoted boundary with space inside',
    'multipart/form-data; boundary="X B"',
    crlf('--X B', CD('a'), '', '1', '--X B--', ''),
  ),
  ct('whitespace before equals', 'multipart/form-data; boundary =XB', form(['a', '1'])),
  ct(
    'whitespace after equals',
    'multipart/form-data; boundary= XB',
    crlf('-- XB', CD('a'), '', '1', '-- XB--', ''),
  ),
  ct('missing semicolon', 'multipart/form-data boundary=XB', form(['a', '1'])),
  ct('no boundary parameter', 'multipart/form-data', form(['a', '1'])),
  ct('boundary parameter in upper case', 'multipart/form-data; BOUNDARY=XB', form(['a', '1'])),
  ct('two boundary parameters', 'multipart/form-data; boundary=XB; boundary=YB', form(['a', '1'])),
  ct(
    'invalid character in boundary',
    'multipart/form-data; boundary=X,B',
    crlf('--X,B', CD('a'), '', '1', '--X,B--', ''),
  ),
  ct('partially quoted boundary', 'multipart/form-data; boundary="XB', form(['a', '1'])),
  ct('empty boundary', 'multipart/form-data; boundary=', form(['a', '1'])),
  ct('empty quoted boundary', 'multipart/form-data; boundary=""', form(['a', '1'])),
  ct('charset before boundary', 'multipart/form-data; charset=utf-8; boundary=XB', form(['a', '1'])),
  ct('charset after boundary', 'multipart/form-data; boundary=XB; charset=utf-8', form(['a', '1'])),
  ct('upper case media type', 'MULTIPART/FORM-DATA; boundary=XB', form(['a', '1'])),
  ct(
    'boundary with allowed punctuation',
    "multipart/form-data; boundary=----WebKitFormBoundary'()+_-.",
    crlf("------WebKitFormBoundary'()+_-.", CD('a'), '', '1', "------WebKitFormBoundary'()+_-.--", ''),
  ),
  ct(
    'content type longer than 1024 bytes',
    'multipart/form-data; boundary=' + 'B'.repeat(1100),
    form(['a', '1']),
  ),
  ct('boundary word inside boundary value', 'multipart/form-data; boundary=xboundary=y', form(['a', '1'])),
  ct('tab before boundary', 'multipart/form-data;\tboundary=XB', form(['a', '1'])),

  // --- preamble, epilogue, missing or broken boundaries
  m('data before first boundary', 'preamble text\r\n' + form(['a', '1'])),
  m('data after final boundary', form(['a', '1']) + 'epilogue'),
  m('CRLF after final boundary', form(['a', '1']) + '\r\n'),
  m('second final boundary after the first', form(['a', '1']) + END),
  m('no final boundary', crlf('--XB', CD('a'), '', '1', '')),
  m('no boundary at all', 'just some text\r\nand more\r\n'),
  m('empty body', ''),
  m('final boundary followed by spaces without newline', form(['a', '1']).slice(0, -2) + '  '),
  m('boundary with trailing space', crlf('--XB ', CD('a'), '', '1', END)),
  m('boundary with trailing tab', crlf('--XB\t', CD('a'), '', '1', END)),
  m('boundary prefix extended', crlf('--XBX', CD('a'), '', '1', END)),
  m('whitespace between dashes and boundary', crlf('-- XB', CD('a'), '', '1', END)),
  ct(
    'quoted boundary used with quotes in body',
    'multipart/form-data; boundary="XB"',
    crlf('--"XB"', CD('a'), '', '1', '--"XB"--', ''),
  ),
  m('other boundary inside a value', form(['a', 'x\r\n--YB\r\ny'])),
  m('boundary text in the middle of a line', form(['a', 'abc--XBdef'])),
  m('dashes only line inside a value', form(['a', 'x\r\n--\r\ny'])),
  m(
    'nested multipart in a file',
    crlf(
      '--XB',
      CDF('f', 'n.txt'),
      'Content-Type: multipart/mixed; boundary=IN',
      '',
      '--IN',
      'Content-Type: text/plain',
      '',
      'inner',
      '--IN--',
      END,
    ),
  ),
  m('boundary in different case', crlf('--xb', CD('a'), '', '1', '--xb--', '')),
  m('CR-only line endings', '--XB\r' + CD('a') + '\r\r1\r--XB--\r'),
  m('body of only a final boundary without newline', '--XB--'),

  // --- line endings
  m('LF line endings', lf('--XB', CD('a'), '', '1', '--XB--', '')),
  m('mixed CRLF and LF', '--XB\r\n' + CD('a') + '\n\r\n1\r\n--XB--\r\n'),
  m('LF boundary lines only', '--XB\n' + CD('a') + '\r\n\r\n1\n--XB--\n'),
  m('LF before boundary ends value', '--XB\r\n' + CD('a') + '\r\n\r\nval\n--XB--\r\n'),

  // --- part headers
  m('missing Content-Disposition', crlf('--XB', 'Content-Type: text/plain', '', '1', END)),
  m('part without headers', crlf('--XB', '', '1', END)),
  m(
    'Content-Disposition not form-data',
    crlf('--XB', 'Content-Disposition: attachment; name="a"', '', '1', END),
  ),
  m(
    'Content-Disposition without name',
    crlf('--XB', 'Content-Disposition: form-data; filename="a.txt"', '', '1', END),
  ),
  m('Content-Disposition form-data only', crlf('--XB', 'Content-Disposition: form-data', '', '1', END)),
  m('header folding with space', crlf('--XB', 'Content-Disposition: form-data;', ' name="a"', '', '1', END)),
  m('header folding with tab', crlf('--XB', 'Content-Disposition: form-data;', '\tname="a"', '', '1', END)),
  m(
    'header folding with vertical tab',
    crlf('--XB', 'Content-Disposition: form-data;', '\x0bname="a"', '', '1', END),
  ),
  m('folding on first header line', crlf('--XB', ' folded', CD('a'), '', '1', END)),
  m(
    'folded Content-Type header',
    crlf('--XB', CD('a'), 'Content-Type: text/plain;', ' charset=utf-8', '', '1', END),
  ),
  m('header without colon', crlf('--XB', CD('a'), 'NoColonHere', '', '1', END)),
  m('empty header name', crlf('--XB', CD('a'), ': value', '', '1', END)),
  m('duplicate part header', crlf('--XB', CD('a'), CD('b'), '', '1', END)),
  m('single-quoted name', crlf('--XB', "Content-Disposition: form-data; name='a'", '', '1', END)),
  m('single quote inside name', crlf('--XB', `Content-Disposition: form-data; name="a'b"`, '', '1', END)),
  m(
    'single-quoted filename',
    crlf('--XB', `Content-Disposition: form-data; name="f"; filename='x.php'`, '', '1', END),
  ),
  m(
    'missing semicolon between parameters',
    crlf('--XB', 'Content-Disposition: form-data; name="a" filename="b"', '', '1', END),
  ),
  m(
    'missing semicolon after form-data',
    crlf('--XB', 'Content-Disposition: form-data name="a"', '', '1', END),
  ),
  m(
    'unquoted name with invalid character',
    crlf('--XB', 'Content-Disposition: form-data; name=a@b', '', '1', END),
  ),
  m('unknown C-D parameter', crlf('--XB', 'Content-Disposition: form-data; name="a"; foo="b"', '', '1', END)),
  m(
    'filename* parameter',
    crlf('--XB', 'Content-Disposition: form-data; name="f"; filename*=UTF-8\'\'x.txt', '', '1', END),
  ),
  m(
    'duplicate name parameter',
    crlf('--XB', 'Content-Disposition: form-data; name="a"; name="b"', '', '1', END),
  ),
  m(
    'duplicate filename parameter',
    crlf('--XB', 'Content-Disposition: form-data; name="f"; filename="a"; filename="b"', '', '1', END),
  ),
  m('unterminated quoted name', crlf('--XB', 'Content-Disposition: form-data; name="abc', '', '1', END)),
  m('name without value', crlf('--XB', 'Content-Disposition: form-data; name=', '', '1', END)),
  m(
    'quoted value ending in backslash',
    crlf('--XB', 'Content-Disposition: form-data; name="a\\', '', '1', END),
  ),
  m('NUL byte in part header', crlf('--XB', CD('a'), 'X-Test: a\x00b', '', '1', END)),
  m('part header line over 4096 bytes', crlf('--XB', CD('a'), 'X-Long: ' + 'h'.repeat(4100), '', '1', END)),
  m('headers never terminated', crlf('--XB', CD('a'), '--XB', CD('b'), '', '2', END)),
  m('headers of last part never terminated', crlf('--XB', CD('a'), '', '1', '--XB', CD('b'), END)),
  m(
    'name with newline through folding',
    crlf('--XB', 'Content-Disposition: form-data; name="a', ' b"', '', '1', END),
  ),
  m('filename with path traversal', crlf('--XB', CDF('f', '../../etc/passwd'), '', 'x', END)),
  m(
    'filename with NUL byte',
    crlf('--XB', 'Content-Disposition: form-data; name="f"; filename="a.php\x00.jpg"', '', 'x', END),
  ),
  m(
    'two Content-Type headers in a file part',
    crlf('--XB', CDF('f', 'a'), 'Content-Type: text/plain', 'Content-Type: image/gif', '', 'x', END),
  ),
  m('high bytes in name', crlf('--XB', 'Content-Disposition: form-data; name="\xe9t\xe9"', '', 'v', END)),

  // --- more recorded edge cases (2.9.7 specifics)
  ...[
    '(',
    ')',
    ',',
    ':',
    '/',
    '?',
    '=',
    ' ',
    "'",
    '+',
    '.',
    '_',
    '<',
    '@',
    '\\',
    '[',
    '{',
    '|',
    '%',
    '!',
    '\xe9',
    '\t',
  ].map((ch) =>
    ct(
      `boundary character ${JSON.stringify(ch)}`,
      `multipart/form-data; boundary=X${ch}B`,
      crlf(`--X${ch}B`, CD('a'), '', '1', `--X${ch}B--`, ''),
    ),
  ),
  m('boundary-like first data line', crlf('--XB', CD('a'), '', '--XBjunk', 'x', END)),
  m('final boundary as first data line', crlf('--XB', CD('a'), '', '--XB--', 'more', END)),
  m('final boundary unterminated right after headers', '--XB\r\n' + CD('a') + '\r\n\r\n--XB--'),
  m('LF inside a value', form(['a', 'x\ny'])),
  m(
    'escapes in an error message',
    crlf('--XB', CD('a'), 'N\x0c\x01\xe9"\\\x0b\x08\x07\tZ\x1b\x7f', '', '1', END),
  ),
  m('large epilogue', form(['a', '1']) + 'E'.repeat(20000), {
    deviation:
      'v2 sees the epilogue in a second network read and also sets DATA_BEFORE; we set DATA_AFTER only',
    ours: { flags: { MULTIPART_DATA_BEFORE: 0 } },
  }),
  m('large preamble', 'P'.repeat(20000) + '\r\n' + form(['a', '1'])),
  m(
    'LF before a middle boundary',
    '--XB\r\n' + CD('a') + '\r\n\r\nv\n--XB\r\n' + CD('b') + '\r\n\r\nw\r\n--XB--\r\n',
  ),
  m('final boundary with trailing space', crlf('--XB', CD('a'), '', '1', '--XB-- ', '')),
  m('final boundary with junk before dashes', crlf('--XB', CD('a'), '', '1', '--XBjunk--', '')),
  m('final boundary with junk after dashes', crlf('--XB', CD('a'), '', '1', '--XB--junk', '')),
  m('preamble of one CRLF', '\r\n' + form(['a', '1'])),
  m(
    'raw header lines kept in part headers',
    crlf(
      '--XB',
      'Content-Disposition:form-data; name="a"',
      'Content-Type:   text/plain  ',
      'X-A:\tb',
      '',
      '1',
      END,
    ),
  ),
  m('file lines ending in LF', '--XB\r\n' + CDF('f', 'x') + '\r\n\r\nab\ncd\n--XB--\r\n'),
  m('arguments limit', form(['a', '1'], ['b', '2'], ['c', '3']), { config: { argumentsLimit: 2 } }),
  ct('no space before boundary', 'multipart/form-data;boundary=XB', form(['a', '1'])),
  ct('junk after the media type', 'multipart/form-dataX; boundary=XB', form(['a', '1'])),
  m(
    'space between filename and equals',
    crlf('--XB', 'Content-Disposition: form-data; name="a"; filename ="b"', '', '1', END),
  ),
  m('boundary line in the header block', crlf('--XB', '--XB', CD('a'), '', '1', END)),
  m('LF-only blank line after headers', '--XB\r\n' + CD('a') + '\r\n\n1\r\n--XB--\r\n'),
  m('CRLF lines before the first boundary', '\r\n\r\n--XB\r\n' + CD('a') + '\r\n\r\n1\r\n--XB--\r\n'),
  m('LF data line inside a file', crlf('--XB', CDF('f', 'x'), '', 'a\nb', END)),
  m('header line ending in LF only', '--XB\r\n' + CD('a') + '\n\r\n1\r\n--XB--\r\n'),
  m('first boundary ending in LF', '--XB\n' + CD('a') + '\r\n\r\n1\r\n--XB--\r\n'),
  m('final boundary ending in LF', '--XB\r\n' + CD('a') + '\r\n\r\n1\r\n--XB--\n'),
  m('CR CR LF before a boundary', '--XB\r\n' + CD('a') + '\r\n\r\n1\r\r\n--XB--\r\n'),
  m('value of only an LF line', '--XB\r\n' + CD('a') + '\r\n\r\n\n--XB--\r\n'),
  m('LF everywhere but CRLF before the final boundary', '--XB\n' + CD('a') + '\n\n' + '1\r\n--XB--\n'),
  m('whitespace-only folded line', crlf('--XB', CD('a'), '  ', '', '1', END)),
  m('header name with trailing space', crlf('--XB', 'Content-Disposition : form-data; name=a', '', '1', END)),
  m('CRLF data line before an LF boundary', '--XB\n' + CD('a') + '\n\n' + '1\r\n2\n--XB--\n'),

  // --- file limit (SecUploadFileLimit). v2 counts files only when it extracts them
  // (SecUploadKeepFiles On here); see the deviation note in src/engine/body/multipart.ts.
  m(
    'three files over a limit of two',
    crlf(
      '--XB',
      CDF('f1', '1'),
      '',
      'a',
      '--XB',
      CDF('f2', '2'),
      '',
      'b',
      '--XB',
      CDF('f3', '3'),
      '',
      'c',
      END,
    ),
    { config: { uploadFileLimit: 2, uploadKeepFiles: 'On' } },
  ),
  m(
    'two files at a limit of two',
    crlf('--XB', CDF('f1', '1'), '', 'a', '--XB', CDF('f2', '2'), '', 'b', END),
    { config: { uploadFileLimit: 2, uploadKeepFiles: 'On' } },
  ),
  m(
    'three files over a limit of two without keep files',
    crlf(
      '--XB',
      CDF('f1', '1'),
      '',
      'a',
      '--XB',
      CDF('f2', '2'),
      '',
      'b',
      '--XB',
      CDF('f3', '3'),
      '',
      'c',
      END,
    ),
    {
      config: { uploadFileLimit: 2 },
      deviation:
        'v2 applies SecUploadFileLimit only when it extracts files (SecUploadKeepFiles On); we always apply it',
      ours: { flags: { MULTIPART_STRICT_ERROR: 1, MULTIPART_FILE_LIMIT_EXCEEDED: 1 } },
    },
  ),
  m(
    'two multi-line files at a limit of two',
    crlf('--XB', CDF('f1', '1'), '', 'a', 'a', '--XB', CDF('f2', '2'), '', 'b', 'b', END),
    {
      config: { uploadFileLimit: 2, uploadKeepFiles: 'On' },
      deviation:
        'v2 re-checks the limit on every data line and flags the second file although it was counted; we count each file once',
      ours: { flags: { MULTIPART_STRICT_ERROR: 0, MULTIPART_FILE_LIMIT_EXCEEDED: 0 } },
    },
  ),
  m(
    'files and fields with keep files',
    crlf('--XB', CD('a'), '', '1', '--XB', CDF('f1', '1'), '', 'aa', END),
    { config: { uploadKeepFiles: 'On' } },
  ),
]
