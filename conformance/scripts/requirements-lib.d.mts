export function parseRequirements(markdown: string): Array<{ id: string; text: string; section: string }>;
