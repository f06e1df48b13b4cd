// Analysis results as DICOM: Comprehensive SR in the TID 1500 style and a heatmap Secondary Capture
// (contract: cxr/dicom/sr.h). DCMTK dcmsr builds the document; the patient and study modules come
// from the first source file (read with DSRDocument::readPatientData/readStudyData after converting
// its text to UTF-8), so the results land in the source study.
//
// Content tree (PS3.16 TID 1500 "Measurement Report", simplified; codes from PS3.16 DCM/SCT, private
// "99CXRA" codes where DICOM has none):
//   CONTAINER (126000 DCM "Imaging Measurement Report")
//     HAS CONCEPT MOD  CODE (121049 "Language of Content Item and Descendants") = en
//     HAS OBS CONTEXT  CODE (121005 "Observer Type") = (121007 "Device")
//     HAS OBS CONTEXT  UIDREF (121012 "Device Observer UID"), TEXT (121013 name, 121014 manufacturer, 121015 model)
//     HAS CONCEPT MOD  CODE (121058 "Procedure reported") = (399208008 SCT "Plain chest X-ray")
//     CONTAINS CONTAINER (111028 "Image Library") > CONTAINER (126200 "Image Library Group") > IMAGE...
//     CONTAINS CONTAINER (126010 "Imaging Measurements")
//       CONTAINS CONTAINER (125007 "Measurement Group")              one per finding
//         HAS OBS CONTEXT TEXT (112039 "Tracking Identifier") = finding id, UIDREF (112040)
//         CONTAINS TEXT (111001 "Algorithm Name"), TEXT (111003 "Algorithm Version"),
//                  TEXT (111002 "Algorithm Parameters") = model/prompt/site-library hashes
//         CONTAINS CODE (121071 "Finding") = the finding's coded name
//         CONTAINS NUM (122157 "Probability") [0..1, UCUM "1"]  INFERRED FROM IMAGE (source)
//         CONTAINS CODE (99CXRA DECISION "Decision at operating point") = positive/negative/indeterminate
//         CONTAINS NUM (122411 "Threshold Value") [UCUM "1"]
//         CONTAINS TEXT (121106 "Comment") = each note sentence that moved the finding
//     CONTAINS TEXT (121106 "Comment") = the disclaimer
#include "cxr/dicom/sr.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoc.h>
#include <dcmtk/dcmsr/dsrimgtn.h>
#include <dcmtk/dcmsr/dsrnumtn.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace cxr::dicom {
namespace {

constexpr const char* kPrivateScheme = "99CXRA";
constexpr const char* kSecondaryCaptureClass = "1.2.840.10008.5.1.4.1.1.7";

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw Exception(ErrorCode::kIo, path + ": " + what);
}

void check(const OFCondition& cond, const std::string& path, const std::string& what) {
  if (cond.bad()) fail(path, what + " (" + cond.text() + ")");
}

std::string new_uid() {
  char buf[100];
  dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
  return buf;
}

// Replaces non-ASCII bytes by '?' (for documents whose character set is not UTF-8).
std::string ascii_only(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) out.push_back('?');
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// DICOM VR limits: UT for TEXT items is up to 2^32-2, but keep items readable; LO = 64 chars.
std::string limit(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  std::size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

// The first source file's dataset, text converted to UTF-8 when possible; nullptr for non-DICOM.
struct SourceDataset {
  DcmFileFormat file;
  bool loaded = false;
  bool utf8 = false;
};

void load_source(const SrContent& content, SourceDataset& src) {
  if (content.sources.empty()) return;
  const std::string& path = content.sources.front().path;
  if (path.empty()) return;
  if (src.file.loadFile(path.c_str()).bad()) return;  // PNG/JPEG or unreadable: use the plain fields
  src.loaded = true;
  src.utf8 = src.file.getDataset()->convertToUTF8().good();
}

void set_document_identity(DSRDocument& doc, const SrContent& content, SourceDataset& src, const std::string& out) {
  if (src.loaded) {
    DcmDataset* ds = src.file.getDataset();
    check(doc.readPatientData(*ds), out, "cannot copy the patient module from " + content.sources.front().path);
    check(doc.readStudyData(*ds), out, "cannot copy the study module from " + content.sources.front().path);
    doc.createNewSeries();
    if (src.utf8) {
      doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8);
    } else {
      OFString charset;
      if (ds->findAndGetOFStringArray(DCM_SpecificCharacterSet, charset).good() && !charset.empty()) {
        doc.setSpecificCharacterSet(charset, OFFalse);
      }
    }
  } else {
    const std::string study = content.study_instance_uid.empty() ? new_uid() : content.study_instance_uid;
    check(doc.createNewSeriesInStudy(study.c_str()), out, "invalid study instance UID \"" + study + "\"");
    doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8);
    if (!content.patient_name.empty()) doc.setPatientName(content.patient_name.c_str(), OFFalse);
    if (!content.patient_id.empty()) doc.setPatientID(content.patient_id.c_str(), OFFalse);
    if (!content.study_description.empty()) doc.setStudyDescription(limit(content.study_description, 64).c_str(), OFFalse);
  }
  doc.setSeriesDescription(limit(content.series_description, 64).c_str(), OFFalse);
  doc.setSeriesNumber(std::to_string(content.series_number).c_str());
  doc.setInstanceNumber(std::to_string(content.instance_number).c_str());
  doc.setManufacturer("CXR Assist");
  doc.setManufacturerModelName(limit(content.algorithm_name, 64).c_str(), OFFalse);
  doc.setSoftwareVersions(limit(content.algorithm_version, 64).c_str(), OFFalse);
}

class TreeBuilder {
 public:
  TreeBuilder(DSRDocumentTree& tree, std::string out, bool utf8) : tree_(tree), out_(std::move(out)), utf8_(utf8) {}

  std::string text(const std::string& s) const { return utf8_ ? s : ascii_only(s); }

  // Adds an item (below the cursor when `below`, else after it) and sets its name name.
  void add(DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type, const DSRCodedEntryValue& name,
           bool below) {
    const size_t id = tree_.addContentItem(rel, type, below ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent);
    if (id == 0) fail(out_, "cannot add SR content item (relationship not allowed by the IOD)");
    check(tree_.getCurrentContentItem().setConceptName(name), out_, "invalid name name");
  }
  void add_text(DSRTypes::E_RelationshipType rel, const DSRCodedEntryValue& name, const std::string& value,
                bool below) {
    add(rel, DSRTypes::VT_Text, name, below);
    check(tree_.getCurrentContentItem().setStringValue(text(value).c_str(), OFFalse), out_, "invalid TEXT value");
  }
  void add_code(DSRTypes::E_RelationshipType rel, const DSRCodedEntryValue& name, const DSRCodedEntryValue& value,
                bool below) {
    add(rel, DSRTypes::VT_Code, name, below);
    check(tree_.getCurrentContentItem().setCodeValue(value, OFFalse), out_, "invalid CODE value");
  }
  void add_uid(DSRTypes::E_RelationshipType rel, const DSRCodedEntryValue& name, const std::string& uid,
               bool below) {
    add(rel, DSRTypes::VT_UIDRef, name, below);
    check(tree_.getCurrentContentItem().setStringValue(uid.c_str()), out_, "invalid UIDREF value");
  }
  void add_num(DSRTypes::E_RelationshipType rel, const DSRCodedEntryValue& name, double value, bool below) {
    add(rel, DSRTypes::VT_Num, name, below);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", value);  // DS: at most 16 characters
    const DSRNumericMeasurementValue num(buf, DSRBasicCodedEntry("1", "UCUM", "no units"));
    check(tree_.getCurrentContentItem().setNumericValue(num), out_, "invalid NUM value");
  }
  void add_image(DSRTypes::E_RelationshipType rel, const SrSourceImage& image, bool below) {
    const size_t id = tree_.addContentItem(rel, DSRTypes::VT_Image,
                                           below ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent);
    if (id == 0) fail(out_, "cannot add IMAGE reference");
    const DSRImageReferenceValue ref(image.sop_class_uid.c_str(), image.sop_instance_uid.c_str());
    check(tree_.getCurrentContentItem().setImageReference(ref, OFFalse), out_, "invalid image reference (UIDs)");
  }
  void up() { tree_.goUp(); }

 private:
  DSRDocumentTree& tree_;
  std::string out_;
  bool utf8_;
};

DSRCodedEntryValue code_of(const SrFinding& f, const std::string& out) {
  DSRCodedEntryValue v(f.code_value.c_str(), f.code_scheme.c_str(), limit(f.code_meaning, 64).c_str());
  if (!v.isValid()) fail(out, "finding \"" + f.id + "\" has an invalid code (" + f.code_scheme + ", " + f.code_value + ")");
  return v;
}

DSRCodedEntryValue decision_code(const std::string& decision) {
  if (decision == "positive") return DSRCodedEntryValue("POSITIVE", kPrivateScheme, "Suggested present");
  if (decision == "negative") return DSRCodedEntryValue("NEGATIVE", kPrivateScheme, "Suggested absent");
  return DSRCodedEntryValue("INDETERMINATE", kPrivateScheme, "Indeterminate");
}

void build_tree(DSRDocument& doc, const SrContent& c, bool utf8, const std::string& out) {
  DSRDocumentTree& tree = doc.getTree();
  TreeBuilder b(tree, out, utf8);
  using R = DSRTypes;
  if (tree.addContentItem(R::RT_isRoot, R::VT_Container) == 0) fail(out, "cannot create the SR root");
  check(tree.getCurrentContentItem().setConceptName(CODE_DCM_ImagingMeasurementReport), out, "root name");
  b.add_code(R::RT_hasConceptMod, CODE_DCM_LanguageOfContentItemAndDescendants,
             DSRCodedEntryValue("en", "RFC5646", "English"), true);
  b.add_code(R::RT_hasObsContext, CODE_DCM_ObserverType, CODE_DCM_Device, false);
  b.add_uid(R::RT_hasObsContext, CODE_DCM_DeviceObserverUID, new_uid(), false);
  b.add_text(R::RT_hasObsContext, CODE_DCM_DeviceObserverName, c.algorithm_name, false);
  b.add_text(R::RT_hasObsContext, CODE_DCM_DeviceObserverManufacturer, "CXR Assist project", false);
  b.add_text(R::RT_hasObsContext, CODE_DCM_DeviceObserverModelName, c.algorithm_name + " " + c.algorithm_version, false);
  b.add_code(R::RT_hasConceptMod, CODE_DCM_ProcedureReported,
             DSRCodedEntryValue("399208008", "SCT", "Plain chest X-ray"), false);
  // Image library: every source image.
  b.add(R::RT_contains, R::VT_Container, CODE_DCM_ImageLibrary, false);
  b.add(R::RT_contains, R::VT_Container, CODE_DCM_ImageLibraryGroup, true);
  for (std::size_t i = 0; i < c.sources.size(); ++i) b.add_image(R::RT_contains, c.sources[i], i == 0);
  b.up();
  b.up();
  // Findings. TID 1500 makes Imaging Measurements optional: a report with no findings (e.g. the PACS
  // node's pipeline check) has no container rather than an empty one DCMTK cannot navigate out of.
  if (!c.findings.empty()) b.add(R::RT_contains, R::VT_Container, CODE_DCM_ImagingMeasurements, false);
  std::string parameters = "model sha256 " + c.model_hash + "; prompt set sha256 " + c.prompt_set_hash;
  if (!c.site_library_hash.empty()) parameters += "; site library sha256 " + c.site_library_hash;
  for (std::size_t i = 0; i < c.findings.size(); ++i) {
    const SrFinding& f = c.findings[i];
    b.add(R::RT_contains, R::VT_Container, CODE_DCM_MeasurementGroup, i == 0);
    b.add_text(R::RT_hasObsContext, CODE_DCM_TrackingIdentifier, f.id, true);
    b.add_uid(R::RT_hasObsContext, CODE_DCM_TrackingUniqueIdentifier, new_uid(), false);
    b.add_text(R::RT_contains, CODE_DCM_AlgorithmName, c.algorithm_name, false);
    b.add_text(R::RT_contains, CODE_DCM_AlgorithmVersion, c.algorithm_version, false);
    b.add_text(R::RT_contains, CODE_DCM_AlgorithmParameters, parameters, false);
    b.add_code(R::RT_contains, CODE_DCM_Finding, code_of(f, out), false);
    b.add_num(R::RT_contains, CODE_DCM_Probability, std::clamp(f.probability, 0.0, 1.0), false);
    for (std::size_t s = 0; s < c.sources.size(); ++s) b.add_image(R::RT_inferredFrom, c.sources[s], s == 0);
    b.up();
    b.add_code(R::RT_contains, DSRCodedEntryValue("DECISION", kPrivateScheme, "Decision at operating point"),
               decision_code(f.decision), false);
    b.add_num(R::RT_contains, CODE_DCM_ThresholdValue, std::clamp(f.threshold, 0.0, 1.0), false);
    for (const auto& sentence : f.evidence) b.add_text(R::RT_contains, CODE_DCM_Comment, sentence, false);
    b.up();
  }
  if (!c.findings.empty()) b.up();
  b.add_text(R::RT_contains, CODE_DCM_Comment, c.disclaimer, false);
}

void add_evidence(DSRDocument& doc, const SrContent& c, const std::string& out) {
  OFString study;
  doc.getStudyInstanceUID(study);
  for (const auto& s : c.sources) {
    if (s.sop_class_uid.empty() || s.sop_instance_uid.empty()) continue;
    const std::string series = s.series_instance_uid.empty() ? new_uid() : s.series_instance_uid;
    check(doc.getCurrentRequestedProcedureEvidence().addItem(study, series.c_str(), s.sop_class_uid.c_str(),
                                                             s.sop_instance_uid.c_str()),
          out, "cannot reference source image " + s.path);
  }
}

// Writes a DICOM file atomically (temp file in the same folder + rename).
void save_atomically(DcmFileFormat& file, const std::string& out) {
  const std::string tmp = out + ".tmp." + std::to_string(::getpid());
  const OFCondition cond = file.saveFile(tmp.c_str(), EXS_LittleEndianExplicit);
  if (cond.bad()) {
    std::remove(tmp.c_str());
    fail(out, std::string("cannot write (") + cond.text() + "); check the folder exists and is writable");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    fail(out, "cannot rename the written file: " + ec.message());
  }
}

void validate(const SrContent& c, const std::string& out) {
  if (c.sources.empty()) throw Exception(ErrorCode::kInvalidArgument, out + ": SR needs at least one source image");
  if (c.disclaimer.empty()) throw Exception(ErrorCode::kInvalidArgument, out + ": SR needs the disclaimer text");
  for (const auto& s : c.sources) {
    if (s.sop_class_uid.empty() || s.sop_instance_uid.empty()) {
      throw Exception(ErrorCode::kInvalidArgument,
                      out + ": source " + s.path + " has no SOP class/instance UID (give DICOM sources, or UIDs)");
    }
  }
}

// Jet-like colour map (blue -> cyan -> yellow -> red) for v in [0,1], as RGB.
void colour_of(float v, uint8_t* rgb) {
  const float r = std::clamp(1.5f - std::abs(4.0f * v - 3.0f), 0.0f, 1.0f);
  const float g = std::clamp(1.5f - std::abs(4.0f * v - 2.0f), 0.0f, 1.0f);
  const float b = std::clamp(1.5f - std::abs(4.0f * v - 1.0f), 0.0f, 1.0f);
  rgb[0] = static_cast<uint8_t>(r * 255.0f + 0.5f);
  rgb[1] = static_cast<uint8_t>(g * 255.0f + 0.5f);
  rgb[2] = static_cast<uint8_t>(b * 255.0f + 0.5f);
}

}  // namespace

Status write_analysis_sr(const std::string& out_path, const SrContent& content) {
  auto result = capture([&]() -> int {
    validate(content, out_path);
    SourceDataset src;
    load_source(content, src);
    DSRDocument doc(DSRTypes::DT_ComprehensiveSR);
    set_document_identity(doc, content, src, out_path);
    const bool utf8 = !src.loaded || src.utf8;
    build_tree(doc, content, utf8, out_path);
    add_evidence(doc, content, out_path);
    doc.completeDocument();  // content complete; VerificationFlag stays UNVERIFIED (no physician signed it)
    DcmFileFormat file;
    check(doc.write(*file.getDataset()), out_path, "cannot encode the SR document");
    save_atomically(file, out_path);
    return 0;
  });
  if (!result) return result.error();
  return Status::Ok();
}

Result<ImageRgb8> burn_heatmap(const Image8& image, const HeatmapOverlay& overlay) {
  return capture([&]() -> ImageRgb8 {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) {
      throw Exception(ErrorCode::kInvalidArgument, "heatmap: empty or inconsistent image");
    }
    const int g = overlay.grid;
    if (g <= 0 || overlay.values.size() != static_cast<std::size_t>(g) * g) {
      throw Exception(ErrorCode::kInvalidArgument, "heatmap: values must be grid x grid");
    }
    // Upsample the (g, g) grid over the model's square, crop the image's box, resize to the image.
    const int up = g * 32;
    cv::Mat grid(g, g, CV_32F, const_cast<float*>(overlay.values.data()));
    cv::Mat square;
    cv::resize(grid, square, cv::Size(up, up), 0, 0, cv::INTER_CUBIC);
    const int x0 = std::clamp(static_cast<int>(std::lround(overlay.box_x0 * up)), 0, up - 1);
    const int y0 = std::clamp(static_cast<int>(std::lround(overlay.box_y0 * up)), 0, up - 1);
    const int x1 = std::clamp(static_cast<int>(std::lround(overlay.box_x1 * up)), x0 + 1, up);
    const int y1 = std::clamp(static_cast<int>(std::lround(overlay.box_y1 * up)), y0 + 1, up);
    cv::Mat heat;
    cv::resize(square(cv::Rect(x0, y0, x1 - x0, y1 - y0)), heat, cv::Size(image.width, image.height), 0, 0,
               cv::INTER_LINEAR);
    ImageRgb8 out;
    out.width = image.width;
    out.height = image.height;
    out.pixels.resize(static_cast<std::size_t>(image.width) * image.height * 3);
    for (int y = 0; y < image.height; ++y) {
      const float* h = heat.ptr<float>(y);
      for (int x = 0; x < image.width; ++x) {
        const std::size_t i = static_cast<std::size_t>(y) * image.width + x;
        const float v = std::clamp(h[x], 0.0f, 1.0f);
        uint8_t c[3];
        colour_of(v, c);
        // Low values stay transparent so the anatomy remains readable.
        const float alpha = static_cast<float>(overlay.opacity) * std::clamp((v - 0.2f) / 0.8f, 0.0f, 1.0f);
        const float gray = image.pixels[i];
        for (int k = 0; k < 3; ++k) {
          out.pixels[i * 3 + k] = static_cast<uint8_t>(std::lround((1 - alpha) * gray + alpha * c[k]));
        }
      }
    }
    if (!overlay.label.empty()) {
      // Caption scaled to fit the image width (small research JPEGs are 224 px wide).
      cv::Mat rgb(out.height, out.width, CV_8UC3, out.pixels.data());
      const std::string label = ascii_only(overlay.label);
      double scale = std::max(0.5, out.width / 900.0);
      int baseline = 0;
      const int margin = std::max(4, out.width / 100);
      while (scale > 0.2 &&
             cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline).width > out.width - 2 * margin) {
        scale *= 0.9;
      }
      const int thickness = std::max(1, static_cast<int>(scale * 1.5));
      const int height = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline).height;
      const cv::Point at(margin, margin + height);
      cv::putText(rgb, label, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), thickness + 2, cv::LINE_AA);
      cv::putText(rgb, label, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);
    }
    return out;
  });
}

Status write_png_rgb(const std::string& path, const ImageRgb8& image) {
  auto result = capture([&]() -> int {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
      throw Exception(ErrorCode::kInvalidArgument, path + ": empty or inconsistent RGB image");
    }
    cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<uint8_t> bytes;
    if (!cv::imencode(".png", bgr, bytes)) fail(path, "PNG encoding failed");
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) fail(path, "cannot write (check the folder exists and is writable)");
      out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      if (!out) fail(path, "write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail(path, "cannot rename: " + ec.message());
    return 0;
  });
  if (!result) return result.error();
  return Status::Ok();
}

Status write_heatmap_sc(const std::string& out_path, const SrContent& content, const ImageRgb8& burned) {
  auto result = capture([&]() -> int {
    validate(content, out_path);
    if (burned.width <= 0 || burned.height <= 0 || burned.width > 65535 || burned.height > 65535 ||
        burned.pixels.size() != static_cast<std::size_t>(burned.width) * burned.height * 3) {
      throw Exception(ErrorCode::kInvalidArgument, out_path + ": empty or inconsistent heatmap image");
    }
    SourceDataset src;
    load_source(content, src);
    DcmFileFormat file;
    DcmDataset* ds = file.getDataset();
    const bool utf8 = !src.loaded || src.utf8;
    // Patient + general study modules: copied from the source (UTF-8 converted) or from content.
    static const DcmTagKey kCopied[] = {DCM_PatientName,      DCM_PatientID,       DCM_IssuerOfPatientID,
                                        DCM_PatientBirthDate, DCM_PatientSex,      DCM_StudyInstanceUID,
                                        DCM_StudyDate,        DCM_StudyTime,       DCM_ReferringPhysicianName,
                                        DCM_StudyID,          DCM_AccessionNumber, DCM_StudyDescription};
    if (src.loaded) {
      for (const auto& tag : kCopied) {
        DcmElement* e = nullptr;
        if (src.file.getDataset()->findAndGetElement(tag, e).good() && e != nullptr) {
          ds->insert(static_cast<DcmElement*>(e->clone()), OFTrue);
        } else {
          ds->insertEmptyElement(tag);
        }
      }
      OFString charset;
      if (!utf8 && src.file.getDataset()->findAndGetOFStringArray(DCM_SpecificCharacterSet, charset).good()) {
        ds->putAndInsertString(DCM_SpecificCharacterSet, charset.c_str());
      }
    } else {
      ds->putAndInsertString(DCM_PatientName, content.patient_name.c_str());
      ds->putAndInsertString(DCM_PatientID, content.patient_id.c_str());
      ds->insertEmptyElement(DCM_PatientBirthDate);
      ds->insertEmptyElement(DCM_PatientSex);
      const std::string study = content.study_instance_uid.empty() ? new_uid() : content.study_instance_uid;
      ds->putAndInsertString(DCM_StudyInstanceUID, study.c_str());
      ds->putAndInsertString(DCM_StudyDate, content.study_date.c_str());
      ds->insertEmptyElement(DCM_StudyTime);
      ds->insertEmptyElement(DCM_ReferringPhysicianName);
      ds->insertEmptyElement(DCM_StudyID);
      ds->insertEmptyElement(DCM_AccessionNumber);
    }
    if (utf8) ds->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
    // General series + SC equipment + general image + image pixel + SC image + SOP common.
    const std::string sop = new_uid();
    ds->putAndInsertString(DCM_SOPClassUID, kSecondaryCaptureClass);
    ds->putAndInsertString(DCM_SOPInstanceUID, sop.c_str());
    ds->putAndInsertString(DCM_Modality, "OT");
    ds->putAndInsertString(DCM_SeriesInstanceUID, new_uid().c_str());
    ds->putAndInsertString(DCM_SeriesNumber, std::to_string(content.series_number + 1).c_str());
    ds->putAndInsertString(DCM_SeriesDescription, "CXR Assist heatmap (decision support)");
    ds->putAndInsertString(DCM_Manufacturer, "CXR Assist");
    ds->putAndInsertString(DCM_SoftwareVersions, limit(content.algorithm_version, 64).c_str());
    ds->putAndInsertString(DCM_ConversionType, "WSD");
    ds->putAndInsertString(DCM_InstanceNumber, std::to_string(content.instance_number).c_str());
    ds->insertEmptyElement(DCM_PatientOrientation);
    ds->insertEmptyElement(DCM_Laterality);  // General Series, type 2C (paired body part: unknown here)
    ds->putAndInsertString(DCM_BurnedInAnnotation, "YES");
    ds->putAndInsertString(DCM_ImageType, "DERIVED\\SECONDARY");
    const std::string comments = (utf8 ? content.disclaimer : ascii_only(content.disclaimer)) +
                                 " Heatmap of patch-prompt similarity; model sha256 " + content.model_hash;
    ds->putAndInsertString(DCM_ImageComments, limit(comments, 10240).c_str());
    ds->putAndInsertString(DCM_DerivationDescription, "Heatmap overlay of image-prompt similarity (CXR Assist)");
    char date[16], time_buf[16];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(date, sizeof date, "%Y%m%d", &utc);
    std::strftime(time_buf, sizeof time_buf, "%H%M%S", &utc);
    ds->putAndInsertString(DCM_ContentDate, date);
    ds->putAndInsertString(DCM_ContentTime, time_buf);
    ds->putAndInsertString(DCM_InstanceCreationDate, date);
    ds->putAndInsertString(DCM_InstanceCreationTime, time_buf);
    // Source image reference.
    const SrSourceImage& s0 = content.sources.front();
    DcmItem* item = nullptr;
    if (ds->findOrCreateSequenceItem(DCM_SourceImageSequence, item, -2).good() && item != nullptr) {
      item->putAndInsertString(DCM_ReferencedSOPClassUID, s0.sop_class_uid.c_str());
      item->putAndInsertString(DCM_ReferencedSOPInstanceUID, s0.sop_instance_uid.c_str());
    }
    ds->putAndInsertUint16(DCM_SamplesPerPixel, 3);
    ds->putAndInsertString(DCM_PhotometricInterpretation, "RGB");
    ds->putAndInsertUint16(DCM_PlanarConfiguration, 0);
    ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(burned.height));
    ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(burned.width));
    ds->putAndInsertUint16(DCM_BitsAllocated, 8);
    ds->putAndInsertUint16(DCM_BitsStored, 8);
    ds->putAndInsertUint16(DCM_HighBit, 7);
    ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
    check(ds->putAndInsertUint8Array(DCM_PixelData, burned.pixels.data(), static_cast<unsigned long>(burned.pixels.size())),
          out_path, "cannot store pixel data");
    save_atomically(file, out_path);
    return 0;
  });
  if (!result) return result.error();
  return Status::Ok();
}

}  // namespace cxr::dicom
