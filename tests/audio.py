"""Short audio files in each format a phone writes, made by the tests themselves (no encoder
needed): each is valid enough for its reader (mutagen, or AMR frame counting) to find its
length."""

import struct
import wave
from pathlib import Path


def wav(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * int(8000 * seconds))
    return path


def mp3(path: Path, seconds: float) -> Path:
    """MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417-byte frames of 1152 samples."""
    header = bytes([0xFF, 0xFB, 0x90, 0x64])
    frames = int(seconds * 44100 / 1152)
    path.write_bytes((header + b"\0" * 413) * frames)
    return path


def _atom(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def m4a(path: Path, seconds: float) -> Path:
    """ftyp + moov with an mvhd (timescale 1000): mutagen reads the length from it."""
    mvhd = (
        b"\0\0\0\0"
        + struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000))
        + struct.pack(">IH", 0x00010000, 0x0100)
        + b"\0" * 10
        + b"\0" * 36
        + b"\0" * 24
        + struct.pack(">I", 2)
    )
    data = _atom(b"ftyp", b"M4A \0\0\0\0M4A mp42isom") + _atom(b"moov", _atom(b"mvhd", mvhd))
    path.write_bytes(data + _atom(b"mdat", b"\0" * 64))
    return path


def aac(path: Path, seconds: float) -> Path:
    """ADTS AAC-LC, 8 kHz mono: 1024 samples per frame."""
    frames = int(seconds * 8000 / 1024)
    size = 7 + 16
    header = bytes(
        [
            0xFF,
            0xF1,
            (1 << 6) | (11 << 2),
            (1 << 6) | (size >> 11),
            (size >> 3) & 0xFF,
            ((size & 7) << 5) | 0x1F,
            0xFC,
        ]
    )
    path.write_bytes((header + b"\0" * 16) * frames)
    return path


def ogg(path: Path, seconds: float) -> Path:
    """Ogg Vorbis: the identification and comment headers, and a last page whose granule
    position gives the length."""
    from mutagen.ogg import OggPage

    ident = b"\x01vorbis" + struct.pack("<IBIiii", 0, 1, 8000, 0, 16000, 0) + bytes([0xB8, 1])
    comment = b"\x03vorbis" + struct.pack("<I", 6) + b"debtcl" + struct.pack("<I", 0) + b"\x01"
    pages = []
    for seq, (packet, granule) in enumerate(
        ((ident, 0), (comment, 0), (b"\0" * 32, int(seconds * 8000)))
    ):
        page = OggPage()
        page.serial, page.sequence, page.position = 1, seq, granule
        page.first, page.last = seq == 0, seq == 2
        page.packets = [packet]
        pages.append(page.write())
    path.write_bytes(b"".join(pages))
    return path


def amr(path: Path, seconds: float, wide: bool = False) -> Path:
    """AMR-NB 12.2 kbit/s (or AMR-WB 23.85) frames of 20 ms."""
    frames = int(seconds / 0.02)
    if wide:
        path.write_bytes(b"#!AMR-WB\n" + (bytes([8 << 3 | 4]) + b"\0" * 60) * frames)
    else:
        path.write_bytes(b"#!AMR\n" + (bytes([7 << 3 | 4]) + b"\0" * 31) * frames)
    return path


MAKERS = {"wav": wav, "mp3": mp3, "m4a": m4a, "aac": aac, "ogg": ogg, "amr": amr}
