// cxr/dicom/sr.h — analysis results as DICOM objects that go back into the source study:
//  * a Comprehensive SR (1.2.840.10008.5.1.4.1.1.88.33) in the style of TID 1500 "Measurement
//    Report" (PS3.16): observer = device (algorithm name, version, model + prompt-set hashes),
//    one container per finding with its coded concept, probability (UCUM "1") and decision, a
//    reference to the source image(s), and the decision-support disclaimer;
//  * a Secondary Capture (1.2.840.10008.5.1.4.1.1.7) with the heatmap burned into the image.
// Patient and study modules are copied from the first source DICOM file so the objects land in the
// same study; for non-DICOM sources they come from the fields below (new study UID if empty).
//
// Thread-safety: reentrant. No DCMTK type appears here.
#pragma once

#include "cxr/dicom/image.h"
#include "cxr/result.h"

#include <string>
#include <vector>

namespace cxr::dicom {

struct SrSourceImage {
  std::string path;             // the source file (DICOM: patient/study modules are copied from it)
  std::string sop_class_uid;    // referenced in the SR (IMAGE content items)
  std::string sop_instance_uid;
  std::string series_instance_uid;
};

struct SrFinding {
  std::string id;                                     // prompt-set id (tracking identifier)
  std::string code_scheme, code_value, code_meaning;  // e.g. "SCT", "233604007", "Pneumonia"
  double probability = 0;                             // 0..1
  std::string decision;                               // "positive" | "negative" | "indeterminate"
  double threshold = 0.5;                             // operating point behind the decision
  std::vector<std::string> evidence;                  // note sentences that moved it (text)
};

struct SrContent {
  std::vector<SrSourceImage> sources;  // >= 1
  // Used when the first source is not DICOM (otherwise copied from it):
  std::string study_instance_uid, patient_name, patient_id, study_date, study_description;
  // Algorithm identification (TID 4019 style):
  std::string algorithm_name = "CXR Assist", algorithm_version, model_hash, prompt_set_hash;
  std::string site_library_hash;       // may be empty
  std::vector<SrFinding> findings;
  std::string disclaimer;              // required, non-empty
  std::string series_description = "CXR Assist findings (decision support)";
  int series_number = 9901, instance_number = 1;
};

// Writes a Comprehensive SR (Explicit VR Little Endian) to out_path atomically. Errors name the path.
Status write_analysis_sr(const std::string& out_path, const SrContent& content);

// A heatmap to burn into a copy of the image: values (grid, grid) in [0,1] over the model's square
// input; box = where the image sits in that square (fractions x0,y0,x1,y1), so it maps onto the image.
struct HeatmapOverlay {
  std::vector<float> values;
  int grid = 0;
  double box_x0 = 0, box_y0 = 0, box_x1 = 1, box_y1 = 1;
  double opacity = 0.45;   // of the colour map at value 1; low values are drawn transparent
  std::string label;       // burned-in caption, e.g. "Pneumonia 0.87 — decision support"
};

// RGB 8-bit image, row-major, pixels.size() == width * height * 3.
struct ImageRgb8 {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

// Blends the heatmap (jet-like colour map, bilinear upsampling) over the gray image.
Result<ImageRgb8> burn_heatmap(const Image8& image, const HeatmapOverlay& overlay);

// Writes an RGB PNG (atomic). Errors name the path.
Status write_png_rgb(const std::string& path, const ImageRgb8& image);

// Secondary Capture (RGB, same study as content.sources[0]) holding `burned` (from burn_heatmap).
Status write_heatmap_sc(const std::string& out_path, const SrContent& content, const ImageRgb8& burned);

}  // namespace cxr::dicom
