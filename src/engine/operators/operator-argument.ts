import type { BinaryString } from '../bytes'
import type { OperatorRef, TemplatePart } from '../../bundle/schema'
import type { OperatorContext, OperatorFn } from './types'

/**
 * For operators whose argument ModSecurity 2.9 macro-expands on every evaluation (@streq,
 * @contains, @containsWord, @beginsWith, @endsWith, @within, @eq, @ge, @gt, @le, @lt): when the
 * compiler found macros it passes op.argTemplate and the argument is expanded per evaluation
 * with ctx.expand; otherwise the argument is a constant.
 */
export function linkWithArgument(
  op: OperatorRef,
  evaluate: (input: BinaryString, arg: BinaryString, ctx: OperatorContext) => boolean,
): OperatorFn {
  const template = dynamicTemplate(op)
  if (template === undefined) {
    const fixed = typeof op.argTemplate === 'string' ? op.argTemplate : op.arg
    return (input, ctx) => evaluate(input, fixed, ctx)
  }
  return (input, ctx) => evaluate(input, ctx.expand(template), ctx)
}

/** The argument's macro template when it has macros, else undefined. */
export function dynamicTemplate(op: OperatorRef): TemplatePart[] | undefined {
  const t = op.argTemplate
  if (t === undefined || typeof t === 'string') return undefined
  for (const part of t) if (typeof part !== 'string') return t
  return undefined
}
