import {
  H5_DATA_TEXT,
  H5_DOCTYPE,
  H5_TAG_COMMENT,
  type Html5State,
  S_BOGUS_COMMENT,
  S_CDATA,
  S_COMMENT,
  S_DATA,
  S_DOCTYPE,
  S_EOF,
  scanWhile,
} from './html5-state'

/** libinjection's HTML5 tokenizer: comments, <!DOCTYPE>, CDATA, <? ?> and <% %>. */

/** <? ... > and </x ... > */
export function bogusComment(h: Html5State): number {
  const start = h.pos
  const end = h.s.indexOf('>', start)
  if (end < 0) {
    h.pos = h.len
    h.state = S_EOF
    return h.token(H5_TAG_COMMENT, start, h.len - start)
  }
  h.pos = end + 1
  h.state = S_DATA
  return h.token(H5_TAG_COMMENT, start, end - start)
}

/** <% ... %> */
export function bogusComment2(h: Html5State): number {
  const start = h.pos
  let from = start
  for (;;) {
    const pct = h.s.indexOf('%', from)
    if (pct < 0 || pct + 1 >= h.len) {
      h.pos = h.len
      h.state = S_EOF
      return h.token(H5_TAG_COMMENT, start, h.len - start)
    }
    if (h.s.charCodeAt(pct + 1) === 0x3e) {
      h.pos = pct + 2
      h.state = S_DATA
      return h.token(H5_TAG_COMMENT, start, pct - start)
    }
    from = pct + 1
  }
}

/** after "<!": DOCTYPE (any case), [CDATA[ (upper case), -- */
export function markupDeclarationOpen(h: Html5State): number {
  const s = h.s
  const p = h.pos
  const remaining = h.len - p
  if (remaining >= 7 && startsWithIgnoreCase(s, p, 'DOCTYPE')) {
    h.state = S_DOCTYPE
    return doctype(h)
  }
  if (remaining >= 7 && s.startsWith('[CDATA[', p)) {
    h.pos += 7
    h.state = S_CDATA
    return cdata(h)
  }
  if (remaining >= 2 && s.charCodeAt(p) === 0x2d && s.charCodeAt(p + 1) === 0x2d) {
    h.pos += 2
    h.state = S_COMMENT
    return comment(h)
  }
  h.state = S_BOGUS_COMMENT
  return bogusComment(h)
}

/** <!-- ... ends at "-->" or "-!>" (NULs allowed after the first '-'), or at the end */
export function comment(h: Html5State): number {
  const s = h.s
  const len = h.len
  const start = h.pos
  let from = start
  for (;;) {
    const dash = s.indexOf('-', from)
    if (dash < 0 || dash > len - 3) return commentToEnd(h, start)
    const p = scanWhile(s, dash + 1, len, NUL)
    if (p === len) return commentToEnd(h, start)
    const c = s.charCodeAt(p)
    if (c === 0x2d || c === 0x21) {
      if (p + 1 === len) return commentToEnd(h, start)
      if (s.charCodeAt(p + 1) === 0x3e) {
        h.pos = p + 2
        h.state = S_DATA
        return h.token(H5_TAG_COMMENT, start, dash - start)
      }
    }
    from = dash + 1
  }
}

const NUL = new Uint8Array(256)
NUL[0] = 1

function commentToEnd(h: Html5State, start: number): number {
  h.state = S_EOF
  return h.token(H5_TAG_COMMENT, start, h.len - start)
}

/** <![CDATA[ ... ]]> is text */
export function cdata(h: Html5State): number {
  const s = h.s
  const start = h.pos
  let from = start
  for (;;) {
    const rb = s.indexOf(']', from)
    if (rb < 0 || rb > h.len - 3) {
      h.state = S_EOF
      return h.token(H5_DATA_TEXT, start, h.len - start)
    }
    if (s.charCodeAt(rb + 1) === 0x5d && s.charCodeAt(rb + 2) === 0x3e) {
      h.state = S_DATA
      h.pos = rb + 3
      return h.token(H5_DATA_TEXT, start, rb - start)
    }
    from = rb + 1
  }
}

export function doctype(h: Html5State): number {
  const start = h.pos
  const end = h.s.indexOf('>', start)
  if (end < 0) {
    h.state = S_EOF
    return h.token(H5_DOCTYPE, start, h.len - start)
  }
  h.state = S_DATA
  h.pos = end + 1
  return h.token(H5_DOCTYPE, start, end - start)
}
function startsWithIgnoreCase(s: string, p: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    const c = s.charCodeAt(p + i)
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== upper.charCodeAt(i)) return false
  }
  return true
}
