import { Input, type InputRef } from 'antd';
import { forwardRef, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';

/** ASCII 29: what a GS1-128 FNC1 separator becomes in the scanned text. */
export const GS = '\u001d';

/**
 * The text a scan produced, as the server's resolver reads it: the keyboard wedge may have sent the
 * separator as GS, as Ctrl+] (which types nothing) or not at all; a `]C1` symbology prefix is kept
 * (the server strips it). Only the scanner's trailing Enter/Tab and surrounding spaces go.
 */
export function scannedText(raw: string): string {
  return raw.replace(/^[\s]+|[\s]+$/g, '');
}

interface Props {
  label: string;
  placeholder?: string;
  disabled?: boolean;
  /** Called once per scan (the scanner's Enter), with the code as scanned. */
  onScan(code: string): void;
  testId?: string;
}

export interface ScanInputHandle {
  focus(): void;
}

/**
 * A scan field for keyboard-wedge scanners: the scanner types the code and presses Enter. GS1
 * separators arrive as the GS character or as Ctrl+] and are kept as GS, so `(240)`, `(10)` …
 * values separate as printed. The field stays focused and clears itself for the next scan.
 */
export const ScanInput = forwardRef<ScanInputHandle, Props>(function ScanInput({ label, placeholder, disabled, onScan, testId = 'scan' }, ref) {
  const [value, setValue] = useState('');
  const input = useRef<InputRef>(null);
  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }));

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.ctrlKey && (e.key === ']' || e.code === 'BracketRight')) {
      e.preventDefault();
      setValue((v) => v + GS);
      return;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      const code = scannedText(value);
      if (!code) return;
      e.preventDefault();
      setValue('');
      onScan(code);
    }
  }

  return (
    <Input
      ref={input}
      size="large"
      autoFocus
      autoComplete="off"
      aria-label={label}
      placeholder={placeholder ?? label}
      value={value}
      disabled={disabled}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKeyDown}
      data-testid={testId}
      style={{ fontSize: 20, height: 56 }}
    />
  );
});
