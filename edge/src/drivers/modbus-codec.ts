/**
 * Modbus register values: 16-bit registers to numbers and back. Registers travel big-endian
 * (high byte first); devices differ in the byte order inside a register and in which register of a
 * 32-bit value comes first ("word order", big = high word first, the Modbus default).
 */
export type RegisterType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';
export type Order = 'big' | 'little';

export const REGISTER_TYPES: RegisterType[] = ['int16', 'uint16', 'int32', 'uint32', 'float32'];

export function registerCount(type: RegisterType): number {
  return type === 'int16' || type === 'uint16' ? 1 : 2;
}

export function decodeRegisters(words: number[], type: RegisterType, byteOrder: Order = 'big', wordOrder: Order = 'big'): number {
  const buf = toBytes(words.slice(0, registerCount(type)), byteOrder, wordOrder);
  switch (type) {
    case 'int16': return buf.readInt16BE(0);
    case 'uint16': return buf.readUInt16BE(0);
    case 'int32': return buf.readInt32BE(0);
    case 'uint32': return buf.readUInt32BE(0);
    case 'float32': return buf.readFloatBE(0);
  }
}

/** The registers that hold `value`; throws a RangeError when it does not fit the type. */
export function encodeRegisters(value: number, type: RegisterType, byteOrder: Order = 'big', wordOrder: Order = 'big'): number[] {
  const buf = Buffer.alloc(registerCount(type) * 2);
  switch (type) {
    case 'int16': buf.writeInt16BE(value, 0); break;
    case 'uint16': buf.writeUInt16BE(value, 0); break;
    case 'int32': buf.writeInt32BE(value, 0); break;
    case 'uint32': buf.writeUInt32BE(value, 0); break;
    case 'float32': buf.writeFloatBE(value, 0); break;
  }
  const words: number[] = [];
  for (let i = 0; i < buf.length; i += 2) words.push(buf.readUInt16BE(i));
  // Reordering is its own inverse: bytes as the device keeps them, then read back as registers.
  const device = toBytes(words, byteOrder, wordOrder);
  return words.map((_, i) => device.readUInt16BE(i * 2));
}

/** Registers as the big-endian bytes of the value they hold. */
function toBytes(words: number[], byteOrder: Order, wordOrder: Order): Buffer {
  const ordered = wordOrder === 'little' ? [...words].reverse() : words;
  const buf = Buffer.alloc(ordered.length * 2);
  ordered.forEach((w, i) => {
    const hi = (w >> 8) & 0xff;
    const lo = w & 0xff;
    buf[i * 2] = byteOrder === 'little' ? lo : hi;
    buf[i * 2 + 1] = byteOrder === 'little' ? hi : lo;
  });
  return buf;
}
