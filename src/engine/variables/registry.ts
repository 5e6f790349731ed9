import type { VariableImpl } from './select'
import { BODY_VARIABLES } from './sources-body'
import { MISC_VARIABLES } from './sources-misc'
import { REQUEST_VARIABLES } from './sources-request'

export type { Selector, VariableImpl } from './select'
export { pushScalar, selectFrom } from './select'

/** Every variable the engine resolves, by canonical name. Must cover VARIABLES (meta-test). */
export const VARIABLE_IMPLS: Readonly<Record<string, VariableImpl>> = {
  ...REQUEST_VARIABLES,
  ...BODY_VARIABLES,
  ...MISC_VARIABLES,
}
