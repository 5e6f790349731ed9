import type { OperatorDef } from './types'

export const noMatch: OperatorDef = {
  name: 'noMatch',
  doc: 'Never matches.',
  link: () => () => false,
}
