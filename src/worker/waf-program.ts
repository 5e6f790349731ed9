import type { Bundle } from '../bundle/schema'
import { loadProgram, type LoadOptions, type Program } from '../engine/index'

/**
 * The bundle linked once per isolate (module scope of index.ts). The WAF_ENGINE override needs
 * no second program: it is the transaction's SecRuleEngine (TransactionOptions.ruleEngine).
 */
export interface LinkedWaf {
  readonly bundle: Bundle
  readonly program: Program
}

export function linkWaf(bundle: Bundle, options: LoadOptions = {}): LinkedWaf {
  // SecUploadKeepFiles On/RelevantOnly: the multipart processor keeps file contents, which the
  // audit log stores beside the record (r2-audit.ts)
  const keep = bundle.config.uploadKeepFiles !== 'Off'
  const opts =
    keep && options.bodyOptions === undefined
      ? { ...options, bodyOptions: { keepFileContents: true } }
      : options
  return { bundle, program: loadProgram(bundle, opts) }
}
