export * from './types.js';
export * from './kubernetes/index.js';
