/** What a drawing file is, from its first bytes (S1-5.4.4-d). */
import { describe, expect, it } from 'vitest';
import { declaredType, sniff } from './sniff.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('drawing types', () => {
  it('S1-5.4.4-d: PDF, PNG, JPEG, SVG, DXF (ASCII and binary) and DWG are known by their bytes, anything else is not', () => {
    expect(sniff(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniff(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniff(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniff(bytes('\uFEFF<?xml version="1.0"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg width="1">'))).toBe('image/svg+xml');
    expect(sniff(bytes('999\nmade by CAD\n  0\r\nSECTION\r\n  2\r\nHEADER\r\n'))).toBe('image/vnd.dxf');
    expect(sniff(bytes('AutoCAD Binary DXF\r\n\x1a\x00', [1, 2]))).toBe('image/vnd.dxf');
    expect(sniff(bytes('AC1032', [0, 0]))).toBe('image/vnd.dwg');
    for (const other of ['<html><svg>', 'PK\x03\x04', '<script>alert(1)</script>', 'AC2018', '']) expect(sniff(bytes(other)), other).toBeUndefined();
  });

  it('S1-5.4.4-d: a Content-Type names a drawing type (aliases too), nothing (octet-stream), or something unsupported', () => {
    expect(declaredType('application/pdf; charset=binary')).toBe('application/pdf');
    expect(declaredType('image/JPG')).toBe('image/jpeg');
    expect(declaredType('application/acad')).toBe('image/vnd.dwg');
    expect(declaredType('application/octet-stream')).toBe('any');
    expect(declaredType(undefined)).toBe('any');
    expect(declaredType('text/html')).toBe('unsupported');
  });
});
