import {
  afterAttrName,
  afterValueQuoted,
  attrName,
  beforeAttrName,
  beforeAttrValue,
  data,
  endTagOpen,
  quotedValue,
  selfClosing,
  tagName,
  tagNameClose,
  tagOpen,
  unquotedValue,
} from './html5-tags'
import { bogusComment, bogusComment2, cdata, comment, doctype, markupDeclarationOpen } from './html5-markup'
import {
  H5_DATA_TEXT,
  H5_START_VALUE_BACK_QUOTE,
  H5_START_VALUE_DOUBLE_QUOTE,
  H5_START_VALUE_NO_QUOTE,
  H5_START_VALUE_SINGLE_QUOTE,
  type Html5State,
  S_AFTER_ATTR_NAME,
  S_AFTER_VALUE_QUOTED,
  S_ATTR_NAME,
  S_BEFORE_ATTR_NAME,
  S_BEFORE_ATTR_VALUE,
  S_BOGUS_COMMENT,
  S_BOGUS_COMMENT2,
  S_CDATA,
  S_COMMENT,
  S_DATA,
  S_DOCTYPE,
  S_END_TAG_OPEN,
  S_MARKUP_DECLARATION_OPEN,
  S_SELF_CLOSING,
  S_TAG_NAME,
  S_TAG_NAME_CLOSE,
  S_TAG_OPEN,
  S_VALUE_BACK_QUOTE,
  S_VALUE_DOUBLE_QUOTE,
  S_VALUE_NO_QUOTE,
  S_VALUE_SINGLE_QUOTE,
  STOP,
  TOKEN,
} from './html5-state'

/**
 * libinjection's small HTML5 tokenizer (libinjection_html5.c of libinjection 3.9.2, as embedded
 * in ModSecurity 2.9.7), our implementation. It splits a binary string into tag names,
 * attribute names and values, comments and text; it can start in the text state or inside an
 * attribute value (unquoted, '-, "- or `-quoted) so that an injected fragment tokenizes as it
 * would in its context.
 */

/** libinjection_h5_init: start tokenizing `s` in context `start` (H5_START_*). */
export function h5Init(h: Html5State, s: string, start: number): void {
  h.s = s
  h.len = s.length
  h.pos = 0
  h.isClose = false
  h.tokenStart = 0
  h.tokenLen = 0
  h.tokenType = H5_DATA_TEXT
  h.state =
    start === H5_START_VALUE_NO_QUOTE
      ? S_BEFORE_ATTR_NAME
      : start === H5_START_VALUE_SINGLE_QUOTE
        ? S_VALUE_SINGLE_QUOTE
        : start === H5_START_VALUE_DOUBLE_QUOTE
          ? S_VALUE_DOUBLE_QUOTE
          : start === H5_START_VALUE_BACK_QUOTE
            ? S_VALUE_BACK_QUOTE
            : S_DATA
}

/** libinjection_h5_next: advances to the next token (h.tokenType/tokenStart/tokenLen); false at the end. */
export function h5Next(h: Html5State): boolean {
  for (;;) {
    const r = step(h)
    if (r === TOKEN) return true
    if (r === STOP) return false
  }
}

function step(h: Html5State): number {
  switch (h.state) {
    case S_DATA:
      return data(h)
    case S_TAG_OPEN:
      return tagOpen(h)
    case S_END_TAG_OPEN:
      return endTagOpen(h)
    case S_TAG_NAME:
      return tagName(h)
    case S_TAG_NAME_CLOSE:
      return tagNameClose(h)
    case S_BEFORE_ATTR_NAME:
      return beforeAttrName(h)
    case S_ATTR_NAME:
      return attrName(h)
    case S_AFTER_ATTR_NAME:
      return afterAttrName(h)
    case S_BEFORE_ATTR_VALUE:
      return beforeAttrValue(h)
    case S_VALUE_DOUBLE_QUOTE:
      return quotedValue(h, '"')
    case S_VALUE_SINGLE_QUOTE:
      return quotedValue(h, "'")
    case S_VALUE_BACK_QUOTE:
      return quotedValue(h, '`')
    case S_VALUE_NO_QUOTE:
      return unquotedValue(h)
    case S_AFTER_VALUE_QUOTED:
      return afterValueQuoted(h)
    case S_SELF_CLOSING:
      return selfClosing(h)
    case S_BOGUS_COMMENT:
      return bogusComment(h)
    case S_BOGUS_COMMENT2:
      return bogusComment2(h)
    case S_MARKUP_DECLARATION_OPEN:
      return markupDeclarationOpen(h)
    case S_COMMENT:
      return comment(h)
    case S_CDATA:
      return cdata(h)
    case S_DOCTYPE:
      return doctype(h)
    default:
      return STOP
  }
}
