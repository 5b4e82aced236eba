export * from './types.js';
export * from './postgres-instance.js';
