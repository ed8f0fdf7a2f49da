#!/usr/bin/env python3
"""Writes the bad-input suite (standard library only, seeded, a few kB): one bad file per kind under OUT/files/,
and for each kind a dataset OUT/ds_<kind>/{tumor,normal}/ of good 16x16 PNGs with that bad file among the tumor
images, and OUT/ds_all/ with every bad file among its tumor images. Kinds (file names): truncated.png, zero.png, text.png (wrong content for the extension),
huge_header.png (IHDR claims 100000x100000), bad_crc.png (one bit of the IDAT chunk's CRC flipped),
corrupt_scan.jpg (a byte of entropy-coded data made a marker: libjpeg would warn and guess), corrupt.dcm, absurd.nii (16960 x 32767 x 32767 voxels),
non_utf8 (a truncated PNG named b"bad_\\xff\\xfe.png"), loop.png (symlink to itself), unreadable.png (mode 000;
readable anyway by root), dir.png (a directory). Prints the kinds, one per line, as file names.
Also writes files that read only with a header repair (osgan ignores, repairs or guesses a field): for each such
kind a dataset OUT/ds_repaired_<kind>/{tumor,normal}/ with the file among the tumor images, and OUT/repaired_kinds
listing "<kind><TAB><field>" per line: nan_slope.nii (NIfTI scl_slope NaN), no_photometric.tif (no Photometric
tag), alpha_x.bmp (32-bit BI_RGB with the unused fourth byte set), rotated.jpg (Exif Orientation 6).
Usage: make_bad_inputs.py OUT"""
import base64, os, random, struct, sys, zlib

def png_bytes(w, h, rows):
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

def good_png(rng):
    return png_bytes(16, 16, [[rng.randint(0, 255) for _ in range(16)] for _ in range(16)])

def bad_crc_png(rng):
    data = bytearray(good_png(rng))
    idat = 8 + 25  # after the signature and the IHDR chunk
    length = struct.unpack(">I", data[idat:idat + 4])[0]
    data[idat + 8 + length] ^= 0x10  # the first byte of its CRC
    return bytes(data)

# A good 16x16 grey baseline JPEG (stb_image_write, quality 90; fuzz/corpus/image_jpeg/grey.jpg), as base64.
GOOD_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRQBAwQEBQQFCQUFCRQNCw0UFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFP/AABEIABAAEAMBIgACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AMC10j4Q+KtKtbTTLXwv4NuEmWVr7RLTRZJpFCsDGRd6pOm0lg2QgbKjDAZBt6lpM/gP7fqWlXHh/XfDdr5Xl3Hn6E2oy7tin/QbPT7p+HYj5Gf5RvO0bgvV3hsPiLvvdniDStaWyNtZy6fNq9jZxv8AMUeW1stKt1lwzZblXZQF3gBcEPhv4seEf7N/sqXxB42+0b/M/sKy1+L7Nt248z7ZqVvnduONm77jZ2/LkA//2Q==")

def corrupt_scan_jpeg():
    data = bytearray(GOOD_JPEG)
    scan = data.index(b"\xff\xda")
    start = scan + 2 + (data[scan + 2] << 8 | data[scan + 3])
    at = start + (len(data) - 2 - start) // 2
    while data[at + 1] in (0x00, 0xFF):  # FF 00 is a stuffed byte and FF FF fill; the next byte must make a marker
        at += 1
    data[at] = 0xFF
    return bytes(data)

def huge_header_png():
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))

def corrupt_dicom(rng):
    # Preamble, DICM, a plausible group-0002 start, then a length field pointing far past the end and noise.
    return (b"\x00" * 128 + b"DICM" + b"\x02\x00\x10\x00UI" + struct.pack("<H", 20) + b"1.2.840.10008.1.2.1\x00"
            + b"\xe0\x7f\x10\x00OW\x00\x00" + struct.pack("<I", 0x7FFFFFF0) + bytes(rng.randrange(256) for _ in range(200)))

def absurd_nifti():
    header = bytearray(352)
    struct.pack_into("<i", header, 0, 348)
    struct.pack_into("<8h", header, 40, 3, 16960, 32767, 32767, 1, 1, 1, 1)
    struct.pack_into("<hh", header, 70, 16, 32)  # datatype float32, bitpix
    struct.pack_into("<f", header, 108, 352.0)   # vox_offset
    header[344:348] = b"n+1\x00"
    return bytes(header) + b"\x00" * 64

def nan_slope_nifti():
    header = bytearray(352)
    struct.pack_into("<i", header, 0, 348)
    struct.pack_into("<8h", header, 40, 3, 4, 4, 2, 1, 1, 1, 1)
    struct.pack_into("<hh", header, 70, 4, 16)     # datatype int16, bitpix
    struct.pack_into("<8f", header, 76, 1, 1, 1, 1, 1, 1, 1, 1)
    struct.pack_into("<fff", header, 108, 352.0, float("nan"), 0.0)  # vox_offset, scl_slope, scl_inter
    header[344:348] = b"n+1\x00"
    return bytes(header) + struct.pack("<32h", *range(32))

def no_photometric_tiff():
    pixels = bytes(range(0, 256, 16))  # 4x4 grey
    tags = [(256, 4, 4), (257, 4, 4), (258, 3, 8), (259, 3, 1), (273, 4, 8), (277, 3, 1), (278, 4, 4), (279, 4, 16)]
    ifd = struct.pack("<H", len(tags)) + b"".join(
        struct.pack("<HHIHH", t, 3, 1, v, 0) if kind == 3 else struct.pack("<HHII", t, 4, 1, v) for t, kind, v in tags)
    return b"II*\x00" + struct.pack("<I", 8 + len(pixels)) + pixels + ifd + struct.pack("<I", 0)

def alpha_x_bmp():
    rows = bytes([200, 200, 200, 128] * 16)  # 4x4 BGRX, X = 128
    offset = 14 + 40
    return (b"BM" + struct.pack("<IHHI", offset + len(rows), 0, 0, offset)
            + struct.pack("<IiiHHIIiiII", 40, 4, 4, 1, 32, 0, len(rows), 2835, 2835, 0, 0) + rows)

def rotated_jpeg():
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<HHHIHHI", 1, 0x0112, 3, 1, 6, 0, 0)
    payload = b"Exif\x00\x00" + tiff
    return GOOD_JPEG[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + GOOD_JPEG[2:]

# Files whose header osgan has to repair, with the field the warning (or, with --strict, the error) names.
REPAIRED = {"nan_slope.nii": ("scl_slope", nan_slope_nifti), "no_photometric.tif": ("TIFF Photometric", no_photometric_tiff),
            "alpha_x.bmp": ("BMP 32-bit BI_RGB fourth byte", alpha_x_bmp), "rotated.jpg": ("Exif Orientation", rotated_jpeg)}

def write_kind(folder, kind, rng):
    """Writes the bad file of `kind` into folder; returns its path (bytes)."""
    f = os.fsencode(folder)
    if kind == "loop.png":
        path = os.path.join(f, b"loop.png")
        os.symlink(b"loop.png", path)
        return path
    if kind == "dir.png":
        path = os.path.join(f, b"dir.png")
        os.mkdir(path)
        return path
    name = b"bad_\xff\xfe.png" if kind == "non_utf8" else os.fsencode(kind)
    path = os.path.join(f, name)
    content = {"truncated.png": good_png(rng)[:60], "zero.png": b"", "text.png": b"this is not an image\n",
               "huge_header.png": huge_header_png(), "bad_crc.png": bad_crc_png(rng),
               "corrupt_scan.jpg": corrupt_scan_jpeg(), "corrupt.dcm": corrupt_dicom(rng), "absurd.nii": absurd_nifti(),
               "non_utf8": good_png(rng)[:60], "unreadable.png": good_png(rng)}[kind]
    with open(path, "wb") as out:
        out.write(content)
    if kind == "unreadable.png":
        os.chmod(path, 0)
    return path

KINDS = ["truncated.png", "zero.png", "text.png", "huge_header.png", "bad_crc.png", "corrupt_scan.jpg", "corrupt.dcm", "absurd.nii", "non_utf8",
         "loop.png", "unreadable.png", "dir.png"]

def main(out):
    rng = random.Random(6)
    os.makedirs(os.path.join(out, "files"))
    for dataset in ["ds_" + kind for kind in KINDS] + ["ds_all"]:
        for cls in ("tumor", "normal"):
            folder = os.path.join(out, dataset, cls)
            os.makedirs(folder)
            for i in range(4):
                with open(os.path.join(folder, f"{cls}_{i}.png"), "wb") as f:
                    f.write(good_png(rng))
    for kind in KINDS:
        write_kind(os.path.join(out, "files"), kind, rng)
        write_kind(os.path.join(out, "ds_" + kind, "tumor"), kind, rng)
        write_kind(os.path.join(out, "ds_all", "tumor"), kind, rng)
    for kind, (field, make) in REPAIRED.items():
        for cls in ("tumor", "normal"):
            folder = os.path.join(out, "ds_repaired_" + kind, cls)
            os.makedirs(folder)
            for i in range(4):
                with open(os.path.join(folder, f"{cls}_{i}.png"), "wb") as f:
                    f.write(good_png(rng))
        with open(os.path.join(out, "ds_repaired_" + kind, "tumor", kind), "wb") as f:
            f.write(make())
    with open(os.path.join(out, "repaired_kinds"), "w") as f:
        f.writelines(f"{kind}\t{field}\n" for kind, (field, _) in REPAIRED.items())
    print("\n".join(KINDS))

if __name__ == "__main__":
    main(sys.argv[1])
