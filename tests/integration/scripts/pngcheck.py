#!/usr/bin/env python3
"""pngcheck.py FILE WIDTH HEIGHT: exit 0 if FILE is a whole, valid PNG of
that size, else print why and exit 1.

Valid: the signature, IHDR first and IEND last, every chunk's CRC, and
the IDAT stream inflating to exactly the bytes the header promises
(one filter byte plus the row's pixels per row, no interlace), with a
known filter type on every row. Only the standard library: the tests
that call it must not need anything beyond Debian's python3.
"""
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def check(path, want_w, want_h):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG (signature)"
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        if pos + 12 > len(data):
            return "truncated chunk at byte %d" % pos
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            return "truncated %r chunk" % ctype
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            return "bad CRC in %r chunk" % ctype
        chunks.append(ctype)
        if ctype == b"IHDR":
            w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat += body
        pos += 12 + length
    if not chunks or chunks[0] != b"IHDR" or chunks[-1] != b"IEND":
        return "chunks out of order: %r" % chunks[:3]
    if (w, h) != (want_w, want_h):
        return "size %dx%d, expected %dx%d" % (w, h, want_w, want_h)
    if color not in CHANNELS or depth != 8 or interlace != 0:
        return "unexpected format: colour %d depth %d interlace %d" % (
            color, depth, interlace)
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        return "image data does not inflate: %s" % e
    row = 1 + w * CHANNELS[color]
    if len(raw) != row * h:
        return "image data is %d bytes, expected %d" % (len(raw), row * h)
    bad = [y for y in range(h) if raw[y * row] > 4]
    if bad:
        return "unknown filter type on row %d" % bad[0]
    return None


def main():
    if len(sys.argv) != 4:
        print(__doc__.split("\n")[0], file=sys.stderr)
        return 2
    why = check(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    if why:
        print("%s: %s" % (sys.argv[1], why), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
