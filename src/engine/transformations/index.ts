import type { TransformationDef } from './types'

/** The transformation registry, keyed by canonical SecLang name. */
export const TRANSFORMATIONS: Record<string, TransformationDef> = {}
