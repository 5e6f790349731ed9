import type { BodyProcessor } from './body/types'
import { BODY_PROCESSORS } from './body'

/**
 * The request body processors the engine uses by default, by v2 name (URLENCODED, MULTIPART,
 * JSON, XML from src/engine/body). loadProgram accepts another table (tests, extensions).
 * A processor name without an entry sets REQBODY_ERROR ("Unknown request body processor"), as
 * v2 does for a name it does not know.
 */
export const DEFAULT_BODY_PROCESSORS: Readonly<Record<string, BodyProcessor>> = BODY_PROCESSORS
