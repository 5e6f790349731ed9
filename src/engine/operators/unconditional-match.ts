import type { OperatorDef } from './types'

export const unconditionalMatch: OperatorDef = {
  name: 'unconditionalMatch',
  doc: 'Always matches (what SecAction uses).',
  link: () => (_input, ctx) => {
    ctx.message = 'Unconditional match in SecAction.'
    return true
  },
}
