import { UserInputError } from '../../core/errors.js';

/**
 * A policy that cannot be loaded: an expression that does not compile, or a malformed policy object. Names the
 * policy, the field path of the expression, the expression and the reason.
 * @example new CelPolicyError('ValidatingAdmissionPolicy/max-replicas', 'spec.validations[0].expression', 'object.spec.replicas <=', 'Unexpected token: EOF')
 */
export class CelPolicyError extends UserInputError {
  constructor(
    readonly policy: string,
    readonly field: string,
    readonly expression: string | undefined,
    readonly reason: string,
  ) {
    super(
      policy,
      expression === undefined ? `${field}: ${reason}` : `${field} ${JSON.stringify(expression)}: ${reason}`,
    );
  }
}
