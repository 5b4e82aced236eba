/**
 * What a drawing file is, from its first bytes rather than from what the client says: PDF, PNG,
 * JPEG, SVG, DXF (ASCII or binary) and DWG. A declared type is checked against the bytes, so a
 * script labelled image/png is refused instead of being served back as one.
 */

export const DRAWING_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/svg+xml', 'image/vnd.dxf', 'image/vnd.dwg'] as const;
export type DrawingType = (typeof DRAWING_TYPES)[number];

/** Names clients use for the same formats. */
const ALIASES: Record<string, DrawingType> = {
  'application/pdf': 'application/pdf', 'application/x-pdf': 'application/pdf',
  'image/png': 'image/png',
  'image/jpeg': 'image/jpeg', 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg',
  'image/svg+xml': 'image/svg+xml',
  'image/vnd.dxf': 'image/vnd.dxf', 'application/dxf': 'image/vnd.dxf', 'application/x-dxf': 'image/vnd.dxf', 'image/x-dxf': 'image/vnd.dxf',
  'image/vnd.dwg': 'image/vnd.dwg', 'application/acad': 'image/vnd.dwg', 'application/x-acad': 'image/vnd.dwg', 'application/dwg': 'image/vnd.dwg',
  'application/x-dwg': 'image/vnd.dwg', 'image/x-dwg': 'image/vnd.dwg',
};

/** Types that claim nothing about the content: the bytes decide. */
const UNCLAIMED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** What a Content-Type header claims: a drawing type, nothing (`any`), or something else (`unsupported`). */
export function declaredType(header: string | undefined): DrawingType | 'any' | 'unsupported' {
  const media = (header ?? '').split(';')[0].trim().toLowerCase();
  if (UNCLAIMED.has(media)) return 'any';
  return ALIASES[media] ?? 'unsupported';
}

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);
const ascii = (b: Uint8Array, n: number) => Buffer.from(b.subarray(0, n)).toString('latin1');

const SVG = /^\s*(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE\s+svg[^>]*>)\s*)*<svg[\s>]/i;
const DXF = /^(\s*999\r?\n[^\r\n]*\r?\n)*\s*0\r?\nSECTION\r?\n/;

/** The format the bytes are, or undefined when they are none of the drawing formats. */
export function sniff(bytes: Uint8Array): DrawingType | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (/^AC1\d{3}/.test(ascii(bytes, 6))) return 'image/vnd.dwg';
  if (ascii(bytes, 22) === 'AutoCAD Binary DXF\r\n\x1a\x00') return 'image/vnd.dxf';
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '');
  if (DXF.test(head)) return 'image/vnd.dxf';
  if (SVG.test(head)) return 'image/svg+xml';
  return undefined;
}
