/**
 * The compiler's working state while it reads the configuration in order. Rules are kept as
 * drafts (with their raw tags/msg for the *ByTag/*ByMsg directives and their positions for
 * diagnostics) until the end, when emit.ts partitions them by phase and resolves jumps.
 */
import type { EngineConfig, Rule, SourceFile } from '../bundle/schema'
import type { ActionSet } from './action-set'
import type { Diagnostic, Position } from './diagnostics'

export interface RuleDraft {
  /** chain starter as compiled (chain links hang off rule.chain) */
  rule: Rule
  phase: number
  /** SecMarker name (rule.marker also set) */
  marker?: string
  skip?: number
  skipAfter?: string
  /** transformation names per chain link (starter first), interned at emit */
  tnames: string[][]
  pos: Position
  /** the merged action set of the starter (for SecRuleUpdateActionById) */
  actionSet: ActionSet
  removed: boolean
}

export interface CompileState {
  config: EngineConfig
  sources: SourceFile[]
  /** absolute path -> index in sources */
  sourceIndex: Map<string, number>
  /** directory of the entry file */
  baseDir: string
  components: string[]
  /** the current SecDefaultAction (v2: the last one applies to every following rule) */
  defaultActions: ActionSet
  defaultActionsPos?: Position
  drafts: RuleDraft[]
  ids: Map<number, RuleDraft>
  /** the chain being built: the draft and the last link */
  openChain?: { draft: RuleDraft; last: Rule; linkPos: Position }
  diagnostics: Diagnostic[]
  /** warnings raised inside an argument, positioned by the caller (offset in the operator token) */
  pendingWarnings: { offset: number; message: string }[]
  /** names given to initcol (collections that become valid variable names) */
  persistentCollections: Set<string>
  /** defines for ${NAME} and <IfDefine> */
  defines: Record<string, string>
  /** files currently being included (loop detection) */
  includeStack: string[]
  warnedDirectives: Set<string>
  /** Rule lookup helpers: the number of physical lines is irrelevant; we index by draft */
  markerNames: Set<string>
  /** a SecResponseBodyMimeType(sClear) was seen: later ones add to the list */
  responseMimeTypesSet: boolean
}
