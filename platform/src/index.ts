export * from './types.js';
export * from './hpa.js';
export { stopEverythingStarted } from './cleanup.js';
export { LocalPlatform, DEFAULT_ANALYSIS, serverRelease, type LocalPlatformOptions, type PlatformEvent, type Replacement } from './local/platform.js';
export { DEFAULT_AUTOSCALER } from './local/autoscaler.js';
export { DEFAULT_HEALTH_CHECK, type HealthCheckConfig } from './local/balancer.js';
export { parsePrometheusText, type PromSample } from './local/prometheus-text.js';
export * from './kubernetes/index.js';
export * from './postgres-instance.js';
