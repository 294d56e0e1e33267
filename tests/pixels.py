"""Reading the pixels of the images the tests render (pdftoppm pages, Chromium screenshots).

The standard library has no image decoder and the suite needs only a few figures per
image, so this reads the two formats those tools write: PNG (8-bit, not interlaced,
greyscale/RGB/RGBA, as libpng and Skia write them) and binary PNM (``P5``/``P6``).
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections import Counter
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG colour type -> samples per pixel.
_CHANNELS = {0: 1, 2: 3, 6: 4}


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    #: Samples per pixel (1 grey, 3 RGB, 4 RGBA); ``rows[y]`` holds ``width * channels`` bytes.
    channels: int
    rows: list[bytes]

    @functools.cached_property
    def _grey(self) -> list[int]:
        return self.grey()

    def contrast(self, left: int, top: int, right: int, bottom: int) -> int:
        """The difference between the lightest and the darkest luma in a box (pixels, right/bottom excluded)."""
        values = [
            value
            for y in range(max(top, 0), min(bottom, self.height))
            for value in self._grey[y * self.width + max(left, 0) : y * self.width + min(right, self.width)]
        ]
        return max(values) - min(values) if values else 0

    def grey(self) -> list[int]:
        """Every pixel's luma (0 black - 255 white, ITU-R BT.601 weights), row after row."""
        if self.channels == 1:
            return [value for row in self.rows for value in row]
        step = self.channels
        return [
            (299 * row[x] + 587 * row[x + 1] + 114 * row[x + 2]) // 1000
            for row in self.rows
            for x in range(0, len(row), step)
        ]

    def mean_luma(self) -> float:
        values = self._grey
        return sum(values) / len(values)

    def ink(self, tolerance: int = 24) -> float:
        """The share of pixels that differ from the background (the commonest luma) by more than ``tolerance``."""
        values = self._grey
        background = Counter(values).most_common(1)[0][0]
        return sum(abs(value - background) > tolerance for value in values) / len(values)

    def background(self) -> int:
        """The commonest luma: the page's background."""
        return Counter(self._grey).most_common(1)[0][0]


def read_png(data: bytes) -> Image:
    """Decode an 8-bit, non-interlaced greyscale, RGB or RGBA PNG."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    position, idat = 8, []
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _compression, _filter, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in _CHANNELS and interlace == 0, (depth, colour, interlace)
            channels = _CHANNELS[colour]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    assert len(raw) == height * (stride + 1), "truncated PNG data"
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels)
        rows.append(row)
        previous = row
    return Image(width, height, channels, rows)


def _unfilter(kind: int, row: bytearray, above: bytes, bpp: int) -> bytes:
    """Undo one of PNG's five row filters (None, Sub, Up, Average, Paeth)."""
    if kind == 0:
        return bytes(row)
    if kind == 2:
        return bytes((value + up) & 0xFF for value, up in zip(row, above, strict=True))
    for x in range(len(row)):
        left = row[x - bpp] if x >= bpp else 0
        if kind == 1:
            row[x] = (row[x] + left) & 0xFF
        elif kind == 3:
            row[x] = (row[x] + ((left + above[x]) >> 1)) & 0xFF
        else:
            up, corner = above[x], above[x - bpp] if x >= bpp else 0
            estimate = left + up - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
            predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            row[x] = (row[x] + predictor) & 0xFF
    return bytes(row)


def read_pnm(data: bytes) -> Image:
    """Decode a binary PGM (``P5``) or PPM (``P6``) with 8-bit samples, as ``pdftoppm`` writes."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position)
            continue
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    magic, width, height, maximum = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic in {b"P5", b"P6"} and maximum == 255, (magic, maximum)
    channels = 1 if magic == b"P5" else 3
    pixels = data[position + 1 :]
    stride = width * channels
    assert len(pixels) == height * stride, "truncated PNM data"
    return Image(width, height, channels, [pixels[y * stride : (y + 1) * stride] for y in range(height)])
