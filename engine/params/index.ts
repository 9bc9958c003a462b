/**
 * The parameter vocabulary faults and checks share (service names, variable names, ranges, who
 * counts as root): one definition each, so a fault and a check never disagree about a name.
 */
export { serviceParam } from './service.js';
export { isVariableName, VARIABLE_NAME, VARIABLE_NAME_SOURCE, variableNameParam } from './variable-name.js';
export { countRange, portParam, type CountRange } from './range.js';
export { isRootUser } from './root-user.js';
