#!/usr/bin/env python3
"""Golden pixel statistics for every decodable DICOM file in shared/data/dicom, from an independent
decoder (pydicom 3 + pylibjpeg/openjpeg/libjpeg), for tests/unit/dicom/golden_test.cpp.

For frame 0 (and the last frame of multi-frame files) it records the stored values as the C++
decoder returns them (cxr::dicom::internal::RawFrame): (rows, columns, samples) interleaved int32,
masked to Bits Stored and sign-extended, colour as decoded (YBR JPEG -> RGB; native YBR kept).

  checksum = sum_i uint64(int64(v_i)) * (i mod 65521 + 1)   (mod 2^64, i over the flat samples)
  block_means: 8x8 grid of means of sample 0 (for lossy syntaxes, compared with a tolerance)

Usage: python3 tools/dicom/make_goldens.py [--data ../shared/data] [-o tests/fixtures/dicom/golden.json]
"""
import argparse
import io
import json
import pathlib
import warnings

import numpy as np
import pydicom
from pydicom.dataset import FileMetaDataset
from pydicom.pixels import pixel_array
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

LOSSY = {
    "1.2.840.10008.1.2.4.50",   # JPEG baseline
    "1.2.840.10008.1.2.4.51",   # JPEG extended
    "1.2.840.10008.1.2.4.81",   # JPEG-LS near-lossless
    "1.2.840.10008.1.2.4.91",   # JPEG 2000 (may be lossy)
    "1.2.840.10008.1.2.4.203",  # HTJ2K (may be lossy)
}
FOLDERS = ["xray", "syntax"]


def checksum(flat: np.ndarray) -> int:
    values = flat.astype(np.int64).view(np.uint64)
    weights = (np.arange(flat.size, dtype=np.uint64) % np.uint64(65521)) + np.uint64(1)
    with np.errstate(over="ignore"):
        return int(np.sum(values * weights, dtype=np.uint64))


def block_means(plane: np.ndarray) -> list:
    rows, cols = plane.shape
    out = []
    for by in range(8):
        for bx in range(8):
            block = plane[by * rows // 8:(by + 1) * rows // 8, bx * cols // 8:(bx + 1) * cols // 8]
            out.append(round(float(block.mean()), 3) if block.size else 0.0)
    return out


def stored_values(ds, frame: int) -> np.ndarray:
    syntax = ds.file_meta.TransferSyntaxUID if "TransferSyntaxUID" in getattr(ds, "file_meta", {}) else None
    native = syntax is None or not pydicom.uid.UID(syntax).is_compressed
    # Native YBR data stays YBR (as the C++ decoder keeps it); compressed YBR becomes RGB as decoded.
    arr = pixel_array(ds, index=frame, raw=native)
    arr = np.asarray(arr)
    bits_stored = int(ds.BitsStored)
    signed = int(getattr(ds, "PixelRepresentation", 0)) == 1
    values = arr.astype(np.int64)
    if native:  # mask to Bits Stored and sign-extend (PS3.5 8.1.1), as the C++ decoder does
        high_bit = int(getattr(ds, "HighBit", bits_stored - 1))
        shift = high_bit + 1 - bits_stored
        raw = values & ((1 << int(ds.BitsAllocated)) - 1)
        values = (raw >> shift) & ((1 << bits_stored) - 1)
        if signed:
            values = np.where(values >= (1 << (bits_stored - 1)), values - (1 << bits_stored), values)
    return values


def read_dataset(path: pathlib.Path):
    """pydicom's reading, plus the C++ loader's one leniency: a File-Meta-less dataset preceded by a
    few stray bytes (syntax/no_meta.dcm) is read from the first plausible element."""
    ds = pydicom.dcmread(path, force=True)
    if "Rows" in ds:
        return ds
    data = path.read_bytes()
    for offset in range(1, 16):
        if data[offset:offset + 2] == b"\x08\x00" and data[offset + 3] == 0:
            candidate = pydicom.dcmread(io.BytesIO(data[offset:]), force=True)
            if "Rows" in candidate:
                explicit = data[offset + 4:offset + 6].isalpha()
                candidate.file_meta = FileMetaDataset()
                candidate.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian if explicit else ImplicitVRLittleEndian
                return candidate
    return ds


def record(path: pathlib.Path, root: pathlib.Path) -> dict:
    ds = read_dataset(path)
    syntax = str(ds.file_meta.TransferSyntaxUID) if "TransferSyntaxUID" in getattr(ds, "file_meta", {}) else ""
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    entry = {"file": str(path.relative_to(root)), "transfer_syntax": syntax, "lossy": syntax in LOSSY,
             "rows": int(ds.Rows), "columns": int(ds.Columns), "frames": frames,
             "samples_per_pixel": int(getattr(ds, "SamplesPerPixel", 1)), "checks": []}
    for frame in sorted({0, frames - 1}):
        values = stored_values(ds, frame)
        flat = values.reshape(-1)
        plane = values if values.ndim == 2 else values[..., 0]
        entry["checks"].append({
            "frame": frame, "checksum": str(checksum(flat)), "sum": int(flat.sum()),
            "min": int(flat.min()), "max": int(flat.max()), "mean": round(float(flat.mean()), 4),
            "block_means": block_means(plane)})
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = pathlib.Path(__file__).resolve().parents[2]
    parser.add_argument("--data", type=pathlib.Path, default=here.parent / "shared" / "data")
    parser.add_argument("-o", "--output", type=pathlib.Path, default=here / "tests/fixtures/dicom/golden.json")
    args = parser.parse_args()
    root = args.data / "dicom"
    entries, skipped = [], []
    for folder in FOLDERS:
        for path in sorted((root / folder).glob("*.dcm")):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    entries.append(record(path, root))
            except Exception as error:  # noqa: BLE001 - recorded, the C++ test then only checks it loads
                skipped.append({"file": str(path.relative_to(root)), "reason": f"{type(error).__name__}: {error}"})
    out = {"generator": "tools/dicom/make_goldens.py", "pydicom": pydicom.__version__,
           "files": entries, "not_decodable_by_reference": skipped}
    args.output.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{len(entries)} files, {len(skipped)} skipped -> {args.output}")
    for s in skipped:
        print("  skipped", s["file"], s["reason"][:120])


if __name__ == "__main__":
    main()
