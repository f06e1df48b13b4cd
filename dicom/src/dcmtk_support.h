// dicom/src/dcmtk_support.h — the one bridge between DCMTK and the module (internal header).
// Thread-safety: every function is reentrant; ensure_dcmtk_ready() is idempotent and thread-safe.
#pragma once

#include "cxr/dicom/metadata.h"

#include <memory>
#include <string>
#include <vector>

class DcmFileFormat;
class DcmDataset;

namespace cxr::dicom::internal {

// Registers the DCMTK decoders (JPEG, JPEG-LS, RLE) and quiets DCMTK's own logging, once per process.
void ensure_dcmtk_ready();

// Parses a DICOM file with or without File Meta. header_only stops before (7FE0,0010) Pixel Data.
// Large values are loaded lazily. Throws cxr::Exception naming the file and the cause.
std::unique_ptr<DcmFileFormat> load_dicom_file(const std::string& path, bool header_only);

// (0028,0008) Number of Frames, strictly parsed (IS: digits with optional sign and spaces, PS3.5
// 6.2); 1 when absent. Throws kCorruptData naming the file for values such as "1A".
int number_of_frames(DcmDataset& dataset, const std::string& path);

// Header fields as UTF-8 (converts the dataset's strings in place from Specific Character Set).
Metadata extract_metadata(DcmFileFormat& file, const std::string& path);

// Files referenced by IMAGE-like records of a DICOMDIR (any record with a Referenced File ID),
// resolved relative to the DICOMDIR's folder, in record order.
std::vector<std::string> dicomdir_image_files(const std::string& dicomdir_path);

}  // namespace cxr::dicom::internal
