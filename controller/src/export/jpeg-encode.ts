// A small baseline JPEG encoder (ITU-T T.81): resvg writes only PNG, and the project adds no
// npm packages, so `visualize --format jpg` encodes resvg's RGBA pixels here. Sequential DCT,
// 8-bit, YCbCr 4:4:4 (no chroma subsampling, so thin graph lines stay sharp), the example
// quantisation and Huffman tables of T.81 Annex K, a JFIF APP0 header.

/** T.81 Annex K.1, natural (row-major) order. */
const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99];
const CHROMA_QUANT = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, ...new Array<number>(32).fill(99)];

/** Zigzag position → natural index (T.81 Figure A.6). */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63];

/** T.81 Annex K.3: code counts per length 1..16, then the symbols. */
const DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_LUMA_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
  0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
  0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
  0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
  0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa];
const AC_CHROMA_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const AC_CHROMA_VALUES = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
  0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
  0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
  0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
  0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
  0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
  0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
  0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa];

const MAX_DIMENSION = 65535; // SOF0 stores height and width in 16 bits (T.81 §B.2.2)
const EOB = 0x00;
const ZRL = 0xf0;

interface Huffman { code: Uint16Array; size: Uint8Array }

/** Canonical codes from the counts per length (T.81 Annex C). */
function buildHuffman(bits: number[], values: number[]): Huffman {
  const code = new Uint16Array(256);
  const size = new Uint8Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) {
      code[values[k]] = c++;
      size[values[k]] = len;
      k++;
    }
    c <<= 1;
  }
  if (k !== values.length) throw new Error('jpeg: Huffman table counts do not match its symbols');
  return { code, size };
}

const HUFF = {
  dcLuma: buildHuffman(DC_LUMA_BITS, DC_VALUES), acLuma: buildHuffman(AC_LUMA_BITS, AC_LUMA_VALUES),
  dcChroma: buildHuffman(DC_CHROMA_BITS, DC_VALUES), acChroma: buildHuffman(AC_CHROMA_BITS, AC_CHROMA_VALUES),
};

/** cos((2x+1)uπ/16) for x,u in 0..7, scaled by C(u)/2 so F = Σ table·f·table. */
const COS = (() => {
  const t = new Float64Array(64);
  for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) {
    t[u * 8 + x] = (u === 0 ? Math.SQRT1_2 : 1) / 2 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return t;
})();

function scaledQuant(base: number[], quality: number): Uint8Array {
  // The IJG scaling of the Annex K tables.
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return Uint8Array.from(base, (q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

class BitWriter {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private acc = 0;
  private n = 0;
  /** Appends the low `len` bits of `code` (len ≤ 16, so acc never holds more than 23 bits). */
  write(code: number, len: number): void {
    this.acc = (this.acc << len) | (code & ((1 << len) - 1));
    this.n += len;
    while (this.n >= 8) {
      this.n -= 8;
      const byte = (this.acc >>> this.n) & 0xff;
      this.push(byte);
      if (byte === 0xff) this.push(0x00); // byte stuffing (T.81 §F.1.2.3)
    }
    this.acc &= (1 << this.n) - 1;
  }
  private push(byte: number): void {
    if (this.len === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.len++] = byte;
  }
  finish(): Uint8Array {
    if (this.n > 0) this.write(0x7f, 8 - this.n); // pad with 1-bits (T.81 §F.1.2.3)
    return this.buf.subarray(0, this.len);
  }
}

function category(v: number): number {
  let a = Math.abs(v);
  let c = 0;
  while (a > 0) { c++; a >>= 1; }
  return c;
}

/**
 * Encodes RGBA pixels (alpha composited over white) as a baseline JFIF JPEG.
 * @example encodeJpeg(rendered.pixels, rendered.width, rendered.height, 90)
 */
export function encodeJpeg(rgba: Uint8Array, width: number, height: number, quality = 90): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
    throw new Error(`jpeg: image size ${width}x${height} is outside 1..${MAX_DIMENSION}`);
  }
  if (rgba.length < width * height * 4) throw new Error(`jpeg: ${rgba.length} bytes is too few for ${width}x${height} RGBA`);
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const qt = [scaledQuant(LUMA_QUANT, q), scaledQuant(CHROMA_QUANT, q)];

  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]); // JFIF 1.01, aspect 1:1
  segment(0xdb, [0x00, ...ZIGZAG.map((i) => qt[0][i]), 0x01, ...ZIGZAG.map((i) => qt[1][i])]);
  segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
  segment(0xc4, [0x00, ...DC_LUMA_BITS, ...DC_VALUES, 0x10, ...AC_LUMA_BITS, ...AC_LUMA_VALUES,
    0x01, ...DC_CHROMA_BITS, ...DC_VALUES, 0x11, ...AC_CHROMA_BITS, ...AC_CHROMA_VALUES]);
  segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);

  const bw = new BitWriter();
  const prevDc = [0, 0, 0];
  const blocks = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  const tmp = new Float64Array(64);
  const coef = new Int32Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        const py = Math.min(by + y, height - 1); // replicate the edge into partial blocks
        for (let x = 0; x < 8; x++) {
          const p = (py * width + Math.min(bx + x, width - 1)) * 4;
          const a = rgba[p + 3] / 255;
          const r = rgba[p] * a + 255 * (1 - a);
          const g = rgba[p + 1] * a + 255 * (1 - a);
          const b = rgba[p + 2] * a + 255 * (1 - a);
          // JFIF YCbCr, level-shifted by 128 (T.81 §A.3.1).
          blocks[0][y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          blocks[1][y * 8 + x] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          blocks[2][y * 8 + x] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let c = 0; c < 3; c++) {
        forwardDct(blocks[c], tmp, coef, qt[c === 0 ? 0 : 1]);
        prevDc[c] = encodeBlock(bw, coef, prevDc[c], c === 0 ? HUFF.dcLuma : HUFF.dcChroma, c === 0 ? HUFF.acLuma : HUFF.acChroma);
      }
    }
  }
  const scan = bw.finish();
  const result = new Uint8Array(out.length + scan.length + 2);
  result.set(out);
  result.set(scan, out.length);
  result.set([0xff, 0xd9], out.length + scan.length);
  return result;
}

/** 2-D DCT-II as two 1-D passes, then quantisation; `coef` in natural order. */
function forwardDct(block: Float64Array, tmp: Float64Array, coef: Int32Array, quant: Uint8Array): void {
  // A flat block (most of a graph's white background) has only a DC term: 8 × its value.
  let flat = true;
  for (let i = 1; i < 64 && flat; i++) flat = block[i] === block[0];
  if (flat) {
    coef.fill(0);
    coef[0] = Math.round((8 * block[0]) / quant[0]);
    return;
  }
  for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) {
    let s = 0;
    for (let x = 0; x < 8; x++) s += COS[u * 8 + x] * block[y * 8 + x];
    tmp[y * 8 + u] = s;
  }
  for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) {
    let s = 0;
    for (let y = 0; y < 8; y++) s += COS[v * 8 + y] * tmp[y * 8 + u];
    coef[v * 8 + u] = Math.round(s / quant[v * 8 + u]);
  }
}

function encodeBlock(bw: BitWriter, coef: Int32Array, prevDc: number, dc: Huffman, ac: Huffman): number {
  const diff = coef[0] - prevDc;
  const cat = category(diff);
  bw.write(dc.code[cat], dc.size[cat]);
  if (cat > 0) bw.write(diff < 0 ? diff + (1 << cat) - 1 : diff, cat);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const v = coef[ZIGZAG[k]];
    if (v === 0) { run++; continue; }
    while (run >= 16) { bw.write(ac.code[ZRL], ac.size[ZRL]); run -= 16; }
    const c = category(v);
    const sym = (run << 4) | c;
    bw.write(ac.code[sym], ac.size[sym]);
    bw.write(v < 0 ? v + (1 << c) - 1 : v, c);
    run = 0;
  }
  if (run > 0) bw.write(ac.code[EOB], ac.size[EOB]);
  return coef[0];
}
