#!/usr/bin/env python3
"""Writes tiny DICOM files (8x8 MONOCHROME2 pixels) whose Patient Name is encoded in a non-ASCII
Specific Character Set, for tests/unit/dicom/metadata_test.cpp. The names are the PS3.5 Annex H/I/J
examples; pydicom does the encoding (ISO 2022 escape sequences), the C++ side must decode to UTF-8.

Usage: python3 tools/dicom/make_charset_fixtures.py [-o tests/fixtures/dicom/charset]
"""
import argparse
import pathlib

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

FIXTURES = {
    # file: (Specific Character Set, Patient Name)
    "korean_ir149.dcm": (["", "ISO 2022 IR 149"], "Hong^Gildong=\u6d2a^\u5409\u6d1e=\ud64d^\uae38\ub3d9"),
    "japanese_ir87.dcm": (["", "ISO 2022 IR 87"], "Yamada^Tarou=\u5c71\u7530^\u592a\u90ce=\u3084\u307e\u3060^\u305f\u308d\u3046"),
    "utf8_ir192.dcm": ("ISO_IR 192", "Wang^XiaoDong=\u738b^\u5c0f\u6771="),
    "latin1_ir100.dcm": ("ISO_IR 100", "Buc^J\u00e9r\u00f4me"),
}


def write(path: pathlib.Path, charset, name: str) -> None:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[path.name])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = charset
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[path.name, "study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[path.name, "series"])
    ds.PatientName = name
    ds.PatientID = "CHARSET-TEST"
    ds.Modality = "OT"
    ds.Rows = ds.Columns = 8
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = (np.arange(64, dtype=np.uint8) * 4).tobytes()
    ds.save_as(path, enforce_file_format=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = pathlib.Path(__file__).resolve().parents[2]
    parser.add_argument("-o", "--output", type=pathlib.Path, default=here / "tests/fixtures/dicom/charset")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    for file, (charset, name) in FIXTURES.items():
        write(args.output / file, charset, name)
        print(args.output / file, name)


if __name__ == "__main__":
    main()
