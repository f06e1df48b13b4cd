// cxr/dicom/metadata.h — what CXR Assist reads from a DICOM header.
//
// All text is UTF-8, decoded from (0008,0005) Specific Character Set, including ISO 2022 code
// extensions (e.g. ISO 2022 IR 149 Korean, ISO 2022 IR 87 Japanese) and ISO_IR 192.
// Thread-safety: read_metadata is reentrant.
#pragma once

#include "cxr/result.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cxr::dicom {

// A VOI window (PS3.3 C.11.2.1.2): centre and width in modality units (after the Modality LUT).
struct Window {
  double center = 0, width = 0;
  std::string explanation;  // (0028,1055) Window Center & Width Explanation, may be empty
};

struct Metadata {
  std::string sop_class_uid, sop_instance_uid, study_instance_uid, series_instance_uid;
  // Patient identifiers: never log these below debug level.
  std::string patient_name, patient_id, patient_age, patient_sex, study_date, study_description;
  std::string modality, body_part, view_position, laterality, manufacturer, institution;
  std::string photometric, transfer_syntax_uid, transfer_syntax_name, specific_character_set;
  int rows = 0, columns = 0, frames = 1, bits_allocated = 0, bits_stored = 0, samples_per_pixel = 1;
  // (row spacing, column spacing) in mm: PixelSpacing (0028,0030), else ImagerPixelSpacing (0018,1164).
  std::optional<std::pair<double, double>> pixel_spacing_mm;
  std::vector<Window> windows;  // the file's own VOI windows, in file order
  // Notes-bearing text for the analysis, "Keyword: value" lines joined by '\n' (empty when absent):
  // ReasonForRequestedProcedure, RequestedProcedureDescription, StudyComments,
  // AdditionalPatientHistory, ImageComments.
  std::string clinical_text;
  bool is_dicom = true;  // false for PNG/JPEG inputs (then only rows/columns/photometric are set)
};

// Reads the header only (pixel data is not loaded). DICOM (with or without File Meta) or PNG/JPEG.
Result<Metadata> read_metadata(const std::string& path);

}  // namespace cxr::dicom
