import type { BinaryString } from '../bytes'
import type { EngineConfig } from '../../bundle/schema'

/**
 * The contract between the request-body processors and the engine core (transaction and
 * variables). The core picks a processor name in phase 1 (v2: multipart/form-data ->
 * MULTIPART, application/x-www-form-urlencoded -> URLENCODED, ctl:requestBodyProcessor=XML|JSON
 * from the recommended rules 200000/200001), buffers the body, calls
 * `processBody(name, body, ctx)` once before phase 2 and maps the result to variables:
 *
 *   ARGS / ARGS_NAMES                 <- args (after ARGS_GET), every origin
 *   ARGS_POST / ARGS_POST_NAMES       <- args only when argsOrigin === 'BODY'
 *   REQBODY_PROCESSOR                 <- the processor name (the core knows it)
 *   REQBODY_ERROR, REQBODY_PROCESSOR_ERROR            <- error ? 1 : 0
 *   REQBODY_ERROR_MSG, REQBODY_PROCESSOR_ERROR_MSG    <- errorMsg ('' when none)
 *   URLENCODED_ERROR                  <- urlencodedError ? 1 : 0 (also set by the query string)
 *   MULTIPART_*, FILES*, MULTIPART_NAME/FILENAME/PART_HEADERS <- multipart (0 / empty when absent)
 *   XML:/*, XML://@*                  <- xml.text, xml.attributes (see XmlDocument)
 *
 * All processors are total: any byte string gives a result, never an exception.
 * All strings are binary strings (one char per byte, see ../bytes.ts).
 */

/** Registry keys: the v2 processor names as ctl:requestBodyProcessor spells them. */
export type BodyProcessorName = 'URLENCODED' | 'MULTIPART' | 'JSON' | 'XML'

export interface BodyOptions {
  /**
   * Keep the bytes of file parts in MultipartFile.content (FILES_TMP_CONTENT, @inspectFile).
   * Off by default: file contents are only counted.
   */
  keepFileContents?: boolean
}

export interface BodyContext {
  /** the raw Content-Type request header value (MULTIPART reads its boundary from it) */
  contentType: BinaryString
  /** SecArgumentSeparator, SecArgumentsLimit, SecRequestBodyJsonDepthLimit, SecUploadFileLimit, SecUploadKeepFiles */
  config: EngineConfig
  /**
   * Arguments already collected for the transaction (ARGS_GET). v2 counts query-string and
   * body arguments together against SecArgumentsLimit. Default 0.
   */
  argsCount?: number
  options?: BodyOptions
}

/** One argument: [name, value]. Lists keep body order and duplicates, as v2's APR tables do. */
export type Arg = [name: BinaryString, value: BinaryString]

export interface BodyResult {
  /** arguments in body order, duplicates kept */
  args: Arg[]
  /**
   * Where v2 files the arguments. 'BODY' (URLENCODED, MULTIPART): ARGS and ARGS_POST.
   * 'JSON': ARGS only - ModSecurity 2.9.7 tags JSON arguments with origin "JSON", so
   * ARGS_POST/ARGS_POST_NAMES stay empty for JSON bodies (verified on 2.9.7).
   */
  argsOrigin: 'BODY' | 'JSON'
  /** REQBODY_ERROR = REQBODY_PROCESSOR_ERROR = 1 */
  error: boolean
  /** REQBODY_ERROR_MSG = REQBODY_PROCESSOR_ERROR_MSG, worded as v2 words it; '' when no error */
  errorMsg: string
  /** URLENCODED_ERROR: an invalid %-sequence was seen (URLENCODED only) */
  urlencodedError: boolean
  /** present for MULTIPART (also when the body or its Content-Type was rejected) */
  multipart?: MultipartResult
  /** present for XML when the document parsed */
  xml?: XmlDocument
  /**
   * Bytes counted against SecRequestBodyNoFilesLimit when not the whole body. MULTIPART: part
   * header lines with their line ends (and the empty line ending the headers) plus the values of
   * non-file parts, up to a parse error; boundaries, preamble, epilogue and file contents do not
   * count (recorded on 2.9.7, test/vectors/engine/nofiles-limit.json). Absent: the whole body.
   */
  noFilesLength?: number
}

/**
 * MULTIPART_* flags, 0 or 1 each. strictError is derived as in v2: the OR of processor error,
 * boundaryQuoted, boundaryWhitespace, dataBefore, dataAfter, headerFolding, lfLine,
 * missingSemicolon, invalidQuoting, invalidPart, invalidHeaderFolding and fileLimitExceeded.
 * unmatchedBoundary and crlfLfLines are not part of it.
 */
export interface MultipartFlags {
  MULTIPART_STRICT_ERROR: number
  MULTIPART_UNMATCHED_BOUNDARY: number
  MULTIPART_BOUNDARY_QUOTED: number
  MULTIPART_BOUNDARY_WHITESPACE: number
  MULTIPART_DATA_BEFORE: number
  MULTIPART_DATA_AFTER: number
  MULTIPART_HEADER_FOLDING: number
  MULTIPART_LF_LINE: number
  MULTIPART_CRLF_LF_LINES: number
  MULTIPART_MISSING_SEMICOLON: number
  MULTIPART_INVALID_QUOTING: number
  MULTIPART_INVALID_PART: number
  MULTIPART_INVALID_HEADER_FOLDING: number
  MULTIPART_FILE_LIMIT_EXCEEDED: number
}

export interface MultipartFile {
  /** FILES_NAMES: the form field name */
  name: BinaryString
  /** FILES: the filename= value as sent */
  filename: BinaryString
  /** FILES_SIZES */
  size: number
  /**
   * FILES_TMPNAMES: synthetic ("/tmp/waf-upload-<n>"; nothing is written anywhere). v2 only
   * has temporary files when it extracts uploads (SecUploadKeepFiles On/RelevantOnly,
   * @inspectFile); we report a name under the same condition (uploadKeepFiles != 'Off'),
   * and only for files counted against SecUploadFileLimit, as v2 does. '' otherwise.
   */
  tmpName: BinaryString
  /** the part's Content-Type header value, '' when absent */
  contentType: BinaryString
  /** the file bytes, only with options.keepFileContents */
  content?: BinaryString
}

export interface MultipartResult {
  flags: MultipartFlags
  /** file parts (parts with a filename= parameter), in body order */
  files: MultipartFile[]
  /** FILES_COMBINED_SIZE */
  filesCombinedSize: number
  /** MULTIPART_NAME: the last name= value seen in any part header, undefined when none */
  name?: BinaryString
  /** MULTIPART_FILENAME: the last filename= value seen, undefined when none */
  filename?: BinaryString
  /**
   * MULTIPART_PART_HEADERS: [part name, header line] for every header line of every named
   * part, in body order, line endings removed (folded continuation lines are their own entries).
   */
  partHeaders: Arg[]
}

/**
 * What XML:/* and XML://@* need, computed once at parse time.
 * text: the text content of the root element (libxml2 xmlNodeGetContent: all text and CDATA
 * descendants in document order, whitespace kept, entities decoded; comments and processing
 * instructions excluded). attributes: every attribute value in document order (XPath //@*).
 */
export interface XmlDocument {
  text: BinaryString
  attributes: BinaryString[]
}

/** A body processor: total, never throws. */
export type BodyProcessor = (body: BinaryString, ctx: BodyContext) => BodyResult
