export { KubernetesPlatform, type KubernetesPlatformOptions } from './platform.js';
