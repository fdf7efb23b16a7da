export { applyExceptions, exceptionsInForce, reopenCovered } from './apply.js';
export { type CompiledException, compileException } from './match.js';
export { createExceptionService, type ExceptionServiceOptions } from './service.js';
