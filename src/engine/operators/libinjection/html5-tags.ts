import {
  H5_ATTR_NAME,
  H5_ATTR_VALUE,
  H5_DATA_TEXT,
  H5_TAG_CLOSE,
  H5_TAG_NAME_CLOSE,
  H5_TAG_NAME_OPEN,
  H5_TAG_NAME_SELFCLOSE,
  type Html5State,
  ATTR_NAME_END,
  isAlpha,
  isWhite,
  S_AFTER_ATTR_NAME,
  S_AFTER_VALUE_QUOTED,
  S_ATTR_NAME,
  S_BEFORE_ATTR_NAME,
  S_BEFORE_ATTR_VALUE,
  S_BOGUS_COMMENT,
  S_BOGUS_COMMENT2,
  S_DATA,
  S_END_TAG_OPEN,
  S_EOF,
  S_MARKUP_DECLARATION_OPEN,
  S_SELF_CLOSING,
  S_TAG_NAME,
  S_TAG_NAME_CLOSE,
  S_TAG_OPEN,
  S_VALUE_BACK_QUOTE,
  S_VALUE_DOUBLE_QUOTE,
  S_VALUE_NO_QUOTE,
  S_VALUE_SINGLE_QUOTE,
  scanUntil,
  STOP,
  TAG_NAME_END,
  VALUE_END,
} from './html5-state'
import { bogusComment, bogusComment2, markupDeclarationOpen } from './html5-markup'

/**
 * libinjection's HTML5 tokenizer: the text, tag and attribute states. Each returns STOP, TOKEN
 * (h.token* set) or CONTINUE (h.state set to the state to run next). A state that always moves
 * on to a state that does not lead back to it without a CONTINUE calls it directly (as the C
 * code does): fewer rounds of h5Next's loop per token, and a bounded call depth (the cycles,
 * such as "/" between attributes, still go through CONTINUE).
 */

export function data(h: Html5State): number {
  const start = h.pos
  // a '<' right here is common in adversarial input ("<<<<"): no search call for it
  const lt = start < h.len && h.s.charCodeAt(start) === 0x3c ? start : h.s.indexOf('<', start)
  if (lt < 0) {
    h.state = S_EOF
    return h.len === start ? STOP : h.token(H5_DATA_TEXT, start, h.len - start)
  }
  h.pos = lt + 1
  h.state = S_TAG_OPEN
  return lt === start ? tagOpen(h) : h.token(H5_DATA_TEXT, start, lt - start)
}

export function tagOpen(h: Html5State): number {
  if (h.pos >= h.len) return STOP
  const c = h.s.charCodeAt(h.pos)
  if (c === 0x21) {
    h.pos += 1
    h.state = S_MARKUP_DECLARATION_OPEN // <!
    return markupDeclarationOpen(h)
  }
  if (c === 0x2f) {
    h.pos += 1
    h.isClose = true
    h.state = S_END_TAG_OPEN // </
    return endTagOpen(h)
  }
  if (c === 0x3f) {
    h.pos += 1
    h.state = S_BOGUS_COMMENT // <?
    return bogusComment(h)
  }
  if (c === 0x25) {
    h.pos += 1
    h.state = S_BOGUS_COMMENT2 // <% (IE, old Safari)
    return bogusComment2(h)
  }
  if (isAlpha(c) || c === 0) {
    h.state = S_TAG_NAME // NUL: IE ignores it
    return tagName(h)
  }
  if (h.pos === 0) return h.go(S_DATA)
  h.state = S_DATA
  return h.token(H5_DATA_TEXT, h.pos - 1, 1) // the '<' is text
}

export function endTagOpen(h: Html5State): number {
  if (h.pos >= h.len) return STOP
  const c = h.s.charCodeAt(h.pos)
  if (c === 0x3e) return h.go(S_DATA)
  if (isAlpha(c)) {
    h.state = S_TAG_NAME
    return tagName(h)
  }
  h.isClose = false
  h.state = S_BOGUS_COMMENT
  return bogusComment(h)
}

export function tagName(h: Html5State): number {
  const start = h.pos
  const p = scanUntil(h.s, start, h.len, TAG_NAME_END) // NULs are allowed in tag names
  if (p >= h.len) {
    h.state = S_EOF
    return h.token(H5_TAG_NAME_OPEN, start, h.len - start)
  }
  const c = h.s.charCodeAt(p)
  if (c === 0x2f) {
    h.pos = p + 1
    h.state = S_SELF_CLOSING
    return h.token(H5_TAG_NAME_OPEN, start, p - start)
  }
  if (c === 0x3e) {
    if (h.isClose) {
      h.pos = p + 1
      h.isClose = false
      h.state = S_DATA
      return h.token(H5_TAG_CLOSE, start, p - start)
    }
    h.pos = p
    h.state = S_TAG_NAME_CLOSE
    return h.token(H5_TAG_NAME_OPEN, start, p - start)
  }
  // whitespace
  h.pos = p + 1
  h.state = S_BEFORE_ATTR_NAME
  return h.token(H5_TAG_NAME_OPEN, start, p - start)
}

export function beforeAttrName(h: Html5State): number {
  const c = h.skipWhite()
  if (c === -1) return STOP
  if (c === 0x2f) {
    h.pos += 1
    return h.go(S_SELF_CLOSING)
  }
  if (c === 0x3e) {
    h.state = S_DATA
    h.pos += 1
    return h.token(H5_TAG_NAME_CLOSE, h.pos - 1, 1)
  }
  h.state = S_ATTR_NAME
  return attrName(h)
}

export function attrName(h: Html5State): number {
  const start = h.pos
  const p = scanUntil(h.s, start + 1, h.len, ATTR_NAME_END)
  if (p >= h.len) {
    h.state = S_EOF
    h.pos = h.len
    return h.token(H5_ATTR_NAME, start, h.len - start)
  }
  const c = h.s.charCodeAt(p)
  if (c === 0x2f) {
    h.state = S_SELF_CLOSING
    h.pos = p + 1
  } else if (c === 0x3d) {
    h.state = S_BEFORE_ATTR_VALUE
    h.pos = p + 1
  } else if (c === 0x3e) {
    h.state = S_TAG_NAME_CLOSE
    h.pos = p
  } else {
    // whitespace or NUL
    h.state = S_AFTER_ATTR_NAME
    h.pos = p + 1
  }
  return h.token(H5_ATTR_NAME, start, p - start)
}

export function afterAttrName(h: Html5State): number {
  const c = h.skipWhite()
  if (c === -1) return STOP
  if (c === 0x2f) {
    h.pos += 1
    return h.go(S_SELF_CLOSING)
  }
  if (c === 0x3d) {
    h.pos += 1
    h.state = S_BEFORE_ATTR_VALUE
    return beforeAttrValue(h)
  }
  if (c === 0x3e) {
    h.state = S_TAG_NAME_CLOSE
    return tagNameClose(h)
  }
  h.state = S_ATTR_NAME
  return attrName(h)
}

export function beforeAttrValue(h: Html5State): number {
  const c = h.skipWhite()
  if (c === -1) {
    h.state = S_EOF
    return STOP
  }
  if (c === 0x22) {
    h.state = S_VALUE_DOUBLE_QUOTE
    return quotedValue(h, '"')
  }
  if (c === 0x27) {
    h.state = S_VALUE_SINGLE_QUOTE
    return quotedValue(h, "'")
  }
  if (c === 0x60) {
    h.state = S_VALUE_BACK_QUOTE // IE
    return quotedValue(h, '`')
  }
  h.state = S_VALUE_NO_QUOTE
  return unquotedValue(h)
}

export function quotedValue(h: Html5State, quote: string): number {
  // skip the opening quote, except when the input starts inside the value
  if (h.pos > 0) h.pos += 1
  const start = h.pos
  // an empty value ("") is common: no search call for it
  const end =
    start < h.len && h.s.charCodeAt(start) === quote.charCodeAt(0) ? start : h.s.indexOf(quote, start)
  if (end < 0) {
    h.state = S_EOF
    return h.token(H5_ATTR_VALUE, start, h.len - start)
  }
  h.state = S_AFTER_VALUE_QUOTED
  h.pos = end + 1
  return h.token(H5_ATTR_VALUE, start, end - start)
}

export function unquotedValue(h: Html5State): number {
  const start = h.pos
  const p = scanUntil(h.s, start, h.len, VALUE_END)
  if (p >= h.len) {
    h.state = S_EOF
    return h.token(H5_ATTR_VALUE, start, h.len - start)
  }
  if (h.s.charCodeAt(p) === 0x3e) {
    h.pos = p
    h.state = S_TAG_NAME_CLOSE
  } else {
    // whitespace or NUL
    h.pos = p + 1
    h.state = S_BEFORE_ATTR_NAME
  }
  return h.token(H5_ATTR_VALUE, start, p - start)
}

export function afterValueQuoted(h: Html5State): number {
  if (h.pos >= h.len) return STOP
  const c = h.s.charCodeAt(h.pos)
  if (isWhite(c)) {
    h.pos += 1
    return h.go(S_BEFORE_ATTR_NAME)
  }
  if (c === 0x2f) {
    h.pos += 1
    return h.go(S_SELF_CLOSING)
  }
  if (c === 0x3e) {
    h.state = S_DATA
    h.pos += 1
    return h.token(H5_TAG_NAME_CLOSE, h.pos - 1, 1)
  }
  return h.go(S_BEFORE_ATTR_NAME)
}

export function selfClosing(h: Html5State): number {
  if (h.pos >= h.len) return STOP
  if (h.s.charCodeAt(h.pos) !== 0x3e) return h.go(S_BEFORE_ATTR_NAME)
  h.state = S_DATA
  h.pos += 1
  return h.token(H5_TAG_NAME_SELFCLOSE, h.pos - 2, 2)
}
export function tagNameClose(h: Html5State): number {
  h.isClose = false
  h.state = h.pos + 1 < h.len ? S_DATA : S_EOF
  h.pos += 1
  return h.token(H5_TAG_NAME_CLOSE, h.pos - 1, 1)
}
