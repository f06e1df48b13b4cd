// DCMTK bridge: codec registration, file parsing, header extraction, DICOMDIR records.
#include "dcmtk_support.h"
#include "internal.h"
#include "pixel_pipeline.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmf.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <iconv.h>

#include <filesystem>
#include <mutex>

namespace cxr::dicom::internal {
namespace {

std::string get_string(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).bad()) return {};
  std::string text(value.c_str(), value.length());
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.pop_back();
  return text;
}

int get_int(DcmItem& item, const DcmTagKey& tag, int fallback) {
  Uint16 us = 0;
  if (item.findAndGetUint16(tag, us).good()) return us;
  Sint32 is = 0;
  if (item.findAndGetSint32(tag, is).good()) return is;
  const std::string text = get_string(item, tag);  // IS stored as text
  try {
    return text.empty() ? fallback : std::stoi(text);
  } catch (const std::exception&) {
    return fallback;
  }
}

std::optional<std::pair<double, double>> get_spacing(DcmItem& item) {
  for (const DcmTagKey& tag : {DCM_PixelSpacing, DCM_ImagerPixelSpacing}) {
    Float64 row = 0, column = 0;
    if (item.findAndGetFloat64(tag, row, 0).good() && item.findAndGetFloat64(tag, column, 1).good() && row > 0 &&
        column > 0)
      return std::make_pair(row, column);
  }
  return std::nullopt;
}

std::vector<Window> get_windows(DcmItem& item) {
  std::vector<Window> windows;
  for (unsigned long i = 0;; ++i) {
    Float64 center = 0, width = 0;
    if (item.findAndGetFloat64(DCM_WindowCenter, center, i).bad() ||
        item.findAndGetFloat64(DCM_WindowWidth, width, i).bad())
      break;
    OFString explanation;
    item.findAndGetOFString(DCM_WindowCenterWidthExplanation, explanation, i);
    windows.push_back(Window{center, width, explanation.c_str()});
  }
  return windows;
}

std::string get_clinical_text(DcmItem& item) {
  struct Field { const char* keyword; DcmTagKey tag; };
  const Field fields[] = {
      {"ReasonForRequestedProcedure", DCM_ReasonForTheRequestedProcedure},
      {"RequestedProcedureDescription", DCM_RequestedProcedureDescription},
      {"StudyComments", DCM_RETIRED_StudyComments},
      {"AdditionalPatientHistory", DCM_AdditionalPatientHistory},
      {"ImageComments", DCM_ImageComments},
  };
  std::string text;
  for (const auto& field : fields) {
    std::string value = get_string(item, field.tag);
    if (value.empty()) {  // may sit in the Request Attributes Sequence (0040,0275)
      DcmItem* request = nullptr;
      if (item.findAndGetSequenceItem(DCM_RequestAttributesSequence, request, 0).good() && request)
        value = get_string(*request, field.tag);
    }
    if (value.empty()) continue;
    if (!text.empty()) text += '\n';
    text += std::string(field.keyword) + ": " + value;
  }
  return text;
}

// Fallback when DCMTK's iconv mapping rejects the Specific Character Set (glibc has no "JIS_X0208"
// for ISO 2022 IR 87 / IR 159): the escape-sequence text is valid ISO-2022-JP-2, which glibc decodes.
// Anything else that is not valid UTF-8 keeps its ASCII and turns other bytes into U+FFFD.
std::string decode_fallback(const std::string& raw, const std::string& charset) {
  bool ascii = true;
  for (unsigned char c : raw) ascii = ascii && c < 0x80 && c != 0x1B;
  if (ascii) return raw;
  if (charset.find("IR 87") != std::string::npos || charset.find("IR 159") != std::string::npos) {
    iconv_t cd = iconv_open("UTF-8", "ISO-2022-JP-2");
    if (cd != reinterpret_cast<iconv_t>(-1)) {
      std::string in = raw, out(raw.size() * 4 + 16, '\0');
      char* in_ptr = in.data();
      char* out_ptr = out.data();
      size_t in_left = in.size(), out_left = out.size();
      const size_t status = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
      iconv_close(cd);
      if (status != static_cast<size_t>(-1)) return out.substr(0, out.size() - out_left);
    }
  }
  std::string text;
  for (unsigned char c : raw) text += c < 0x80 ? std::string(1, static_cast<char>(c)) : std::string("\xEF\xBF\xBD");
  return text;
}

// Offset (1..15) of a plausible first data element (group 0x0008 little endian, explicit VR or a
// small implicit length) in a File-Meta-less file that starts with stray bytes; 0 if none.
size_t stray_prefix_length(const std::string& path) {
  const auto head = read_file_head(path, 32);
  for (size_t offset = 1; offset + 8 <= head.size() && offset < 16; ++offset) {
    const uint8_t* p = head.data() + offset;
    if (p[0] != 0x08 || p[1] != 0x00 || p[3] != 0x00) continue;
    const bool explicit_vr = p[4] >= 'A' && p[4] <= 'Z' && p[5] >= 'A' && p[5] <= 'Z';
    const uint32_t implicit_length = p[4] | (p[5] << 8) | (p[6] << 16) | (uint32_t(p[7]) << 24);
    if (explicit_vr || implicit_length < 1024) return offset;
  }
  return 0;
}

// Parses the dataset that starts at offset (no File Meta), whole values in memory.
OFCondition read_from_offset(DcmFileFormat& file, const std::string& path, size_t offset) {
  DcmInputFileStream stream(path.c_str(), static_cast<offile_off_t>(offset));
  if (stream.status().bad()) return stream.status();
  file.clear();
  file.transferInit();
  const OFCondition status = file.read(stream, EXS_Unknown, EGL_noChange, UINT32_MAX);
  file.transferEnd();
  return status;
}

}  // namespace

void ensure_dcmtk_ready() {
  static std::once_flag once;
  std::call_once(once, [] {
    // DCMTK's default logger writes warnings and errors to stderr; our errors carry the cause.
    OFLog::getLogger("dcmtk.dcmdata").setLogLevel(OFLogger::FATAL_LOG_LEVEL);
    OFLog::getLogger("dcmtk.dcmjpeg").setLogLevel(OFLogger::FATAL_LOG_LEVEL);
    OFLog::getLogger("dcmtk.dcmjpls").setLogLevel(OFLogger::FATAL_LOG_LEVEL);
    DJDecoderRegistration::registerCodecs();     // JPEG baseline, extended, lossless
    DJLSDecoderRegistration::registerCodecs();   // JPEG-LS lossless and near-lossless
    DcmRLEDecoderRegistration::registerCodecs(); // RLE
  });
}

std::unique_ptr<DcmFileFormat> load_dicom_file(const std::string& path, bool header_only) {
  ensure_dcmtk_ready();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, ErrorCode::kNotFound, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, ErrorCode::kInvalidArgument, "is a folder, not a file");
  if (std::filesystem::file_size(path, ec) == 0) fail(path, ErrorCode::kCorruptData, "empty file");
  auto file = std::make_unique<DcmFileFormat>();
  const OFCondition status = file->loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength,
                                                    ERM_autoDetect, header_only ? DCM_PixelData : DCM_UndefinedTagKey);
  if (status.bad()) {
    // Lenient reading of a File-Meta-less dataset preceded by a few stray bytes (seen in the wild
    // after bad transfers): only when the normal parse failed and a plausible element start is found.
    const size_t offset = stray_prefix_length(path);
    if (offset == 0 || read_from_offset(*file, path, offset).bad() || file->getDataset()->card() == 0 ||
        !file->getDataset()->tagExists(DCM_SOPClassUID))
      fail(path, ErrorCode::kCorruptData, std::string("not a readable DICOM file (") + status.text() + ")");
  }
  DcmDataset* dataset = file->getDataset();
  if (!dataset || dataset->card() == 0) fail(path, ErrorCode::kCorruptData, "not a DICOM file (no data elements)");
  return file;
}

int number_of_frames(DcmDataset& data, const std::string& path) {
  if (!data.tagExists(DCM_NumberOfFrames)) return 1;
  OFString text;
  data.findAndGetOFString(DCM_NumberOfFrames, text);
  std::string digits = text.c_str();
  digits.erase(0, digits.find_first_not_of(' '));
  digits.erase(digits.find_last_not_of(' ') + 1);
  if (!digits.empty() && digits[0] == '+') digits.erase(0, 1);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    fail(path, ErrorCode::kCorruptData, std::string("Number of Frames (0028,0008) is \"") + text.c_str() + "\", not a count");
  return std::max(1, std::stoi(digits));
}

Metadata extract_metadata(DcmFileFormat& file, const std::string& path) {
  DcmDataset& data = *file.getDataset();
  DcmMetaInfo& meta = *file.getMetaInfo();
  Metadata m;
  m.specific_character_set = get_string(data, DCM_SpecificCharacterSet);
  // Converts PN/LO/SH/ST/LT/UT/UC values to UTF-8 in place (DCMTK + iconv). A charset iconv does
  // not know leaves the raw bytes, which the callers treat as Latin-1-ish text.
  const bool converted = m.specific_character_set.empty() || data.convertToUTF8().good();
  m.sop_class_uid = get_string(data, DCM_SOPClassUID);
  m.sop_instance_uid = get_string(data, DCM_SOPInstanceUID);
  m.study_instance_uid = get_string(data, DCM_StudyInstanceUID);
  m.series_instance_uid = get_string(data, DCM_SeriesInstanceUID);
  m.patient_name = get_string(data, DCM_PatientName);
  m.patient_id = get_string(data, DCM_PatientID);
  m.patient_age = get_string(data, DCM_PatientAge);
  m.patient_sex = get_string(data, DCM_PatientSex);
  m.study_date = get_string(data, DCM_StudyDate);
  m.study_description = get_string(data, DCM_StudyDescription);
  m.modality = get_string(data, DCM_Modality);
  m.body_part = get_string(data, DCM_BodyPartExamined);
  m.view_position = get_string(data, DCM_ViewPosition);
  m.laterality = get_string(data, DCM_ImageLaterality);
  if (m.laterality.empty()) m.laterality = get_string(data, DCM_Laterality);
  m.manufacturer = get_string(data, DCM_Manufacturer);
  m.institution = get_string(data, DCM_InstitutionName);
  m.photometric = get_string(data, DCM_PhotometricInterpretation);
  m.transfer_syntax_uid = get_string(meta, DCM_TransferSyntaxUID);
  if (m.transfer_syntax_uid.empty()) m.transfer_syntax_uid = DcmXfer(data.getOriginalXfer()).getXferID();
  const DcmXfer xfer(m.transfer_syntax_uid.c_str());
  m.transfer_syntax_name = xfer.getXfer() != EXS_Unknown ? xfer.getXferName() : "";
  if (m.transfer_syntax_uid == "1.2.840.10008.1.2.4.201") m.transfer_syntax_name = "HTJ2K Lossless";
  if (m.transfer_syntax_uid == "1.2.840.10008.1.2.4.202") m.transfer_syntax_name = "HTJ2K Lossless RPCL";
  if (m.transfer_syntax_uid == "1.2.840.10008.1.2.4.203") m.transfer_syntax_name = "HTJ2K";
  m.rows = get_int(data, DCM_Rows, 0);
  m.columns = get_int(data, DCM_Columns, 0);
  m.frames = number_of_frames(data, path);
  m.bits_allocated = get_int(data, DCM_BitsAllocated, 0);
  m.bits_stored = get_int(data, DCM_BitsStored, m.bits_allocated);
  m.samples_per_pixel = get_int(data, DCM_SamplesPerPixel, 1);
  m.pixel_spacing_mm = get_spacing(data);
  m.windows = get_windows(data);
  if (m.windows.empty()) m.windows = read_presentation(data, 0).windows;  // enhanced objects: functional groups
  m.clinical_text = get_clinical_text(data);
  if (!converted) {
    for (std::string* text : {&m.patient_name, &m.patient_id, &m.study_description, &m.institution, &m.manufacturer,
                              &m.body_part, &m.clinical_text})
      *text = decode_fallback(*text, m.specific_character_set);
  }
  m.is_dicom = true;
  return m;
}

std::vector<std::string> dicomdir_image_files(const std::string& dicomdir_path) {
  auto file = load_dicom_file(dicomdir_path, false);
  DcmSequenceOfItems* records = nullptr;
  if (file->getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || !records)
    fail(dicomdir_path, ErrorCode::kCorruptData, "DICOMDIR has no Directory Record Sequence (0004,1220)");
  const std::filesystem::path root = std::filesystem::path(dicomdir_path).parent_path();
  std::vector<std::string> files;
  for (unsigned long i = 0; i < records->card(); ++i) {
    DcmItem* record = records->getItem(i);
    OFString component;
    std::filesystem::path relative;
    for (unsigned long c = 0; record && record->findAndGetOFString(DCM_ReferencedFileID, component, c).good(); ++c)
      relative /= std::string(component.c_str());
    if (relative.empty()) continue;
    const std::filesystem::path resolved = root / relative;
    const std::string relative_text = relative.generic_string();
    if (relative_text.find("..") != std::string::npos)
      fail(dicomdir_path, ErrorCode::kCorruptData, "Referenced File ID escapes the media folder: " + relative_text);
    files.push_back(resolved.string());
  }
  return files;
}

}  // namespace cxr::dicom::internal
