/** The reference configuration of a target (infra/examples/<target>.json), overrides merged on top. */
export { exampleConfig as example } from '../src/examples.js';
