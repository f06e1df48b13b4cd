// cxr/dicom/inputs.h — turns what a user names on a command line into a list of image files.
#pragma once

#include "cxr/result.h"

#include <string>
#include <vector>

namespace cxr::dicom {

struct InputItem {
  std::string path;
  std::string note;  // empty for accepted items
};

// Expands files, folders (recursive, sorted by path) and DICOMDIR media (the DICOMDIR file itself or
// a folder holding one: its IMAGE records' files are listed, paths resolved relative to the media
// root). Accepted: DICOM files (preamble "DICM", or a plausible File-Meta-less dataset) and PNG/JPEG
// (by magic bytes). Inside folders, other files are skipped and a note "<path>: skipped (<why>)" is
// appended to *notes. A named file that does not exist is an error (kNotFound); a named file that is
// neither DICOM nor an image is still returned (loading it gives the error). Thread-safe.
Result<std::vector<InputItem>> expand_inputs(const std::vector<std::string>& paths,
                                             std::vector<std::string>* notes = nullptr);

// Sniffs the first bytes: kind of file at path.
enum class FileKind { kDicom, kPng, kJpeg, kOther };
FileKind sniff_file(const std::string& path);

}  // namespace cxr::dicom
