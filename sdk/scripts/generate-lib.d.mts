export declare const SDK_DIR: string;
export declare const SPEC_FILE: string;
export declare const TYPES_FILE: string;
export declare const REGENERATE_COMMAND: string;
export declare function buildSpec(): Promise<Record<string, unknown>>;
export declare function generateSpecAndTypes(): Promise<{ spec: string; types: string }>;
