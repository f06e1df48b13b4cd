// Input expansion: files, folders (recursive) and DICOMDIR media (PS3.10 section 8, PS3.3 F.5).
#include "cxr/dicom/inputs.h"
#include "dcmtk_support.h"
#include "internal.h"

#include <algorithm>
#include <filesystem>

namespace cxr::dicom {
namespace fs = std::filesystem;
namespace {

// A File-Meta-less dataset starts with a group 0x0008 (or 0x0002) tag, little or big endian,
// followed by either an explicit VR (two upper-case letters) or a 4-byte implicit length.
bool looks_like_raw_dataset(const std::vector<uint8_t>& head) {
  if (head.size() < 8) return false;
  const uint16_t group_le = head[0] | (head[1] << 8);
  const uint16_t group_be = (head[0] << 8) | head[1];
  if (group_le != 0x0008 && group_le != 0x0002 && group_be != 0x0008) return false;
  const bool explicit_vr = head[4] >= 'A' && head[4] <= 'Z' && head[5] >= 'A' && head[5] <= 'Z';
  const uint32_t implicit_length = head[4] | (head[5] << 8) | (head[6] << 16) | (uint32_t(head[7]) << 24);
  return explicit_vr || implicit_length < 0x10000;
}

bool is_dicomdir_name(const fs::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(), ::toupper);
  return name == "DICOMDIR";
}

std::string kind_note(FileKind kind) {
  return kind == FileKind::kOther ? "not DICOM, PNG or JPEG" : "";
}

void expand_folder(const fs::path& folder, std::vector<InputItem>& items, std::vector<std::string>* notes) {
  if (fs::exists(folder / "DICOMDIR")) {  // media: the index says what the images are
    const std::string dicomdir = (folder / "DICOMDIR").string();
    for (auto& path : internal::guard(dicomdir, [&] { return internal::dicomdir_image_files(dicomdir); }))
      items.push_back({path, ""});
    return;
  }
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) throw Exception(ErrorCode::kIo, folder.string() + ": cannot list the folder (" + ec.message() + ")");
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const FileKind kind = sniff_file(file.string());
    if (kind == FileKind::kDicom && is_dicomdir_name(file)) {
      if (notes) notes->push_back(file.string() + ": skipped (DICOMDIR index, not an image)");
    } else if (kind == FileKind::kOther) {
      if (notes) notes->push_back(file.string() + ": skipped (" + kind_note(kind) + ")");
    } else {
      items.push_back({file.string(), ""});
    }
  }
}

// A raw dataset after up to 15 stray bytes (read leniently by load_dicom_file): explicit VR only.
bool looks_like_shifted_dataset(const std::vector<uint8_t>& head) {
  for (size_t offset = 1; offset < 16 && offset + 8 <= head.size(); ++offset) {
    const uint8_t* p = head.data() + offset;
    if (p[0] == 0x08 && p[1] == 0x00 && p[3] == 0x00 && p[4] >= 'A' && p[4] <= 'Z' && p[5] >= 'A' && p[5] <= 'Z')
      return true;
  }
  return false;
}

}  // namespace

FileKind sniff_file(const std::string& path) {
  const auto head = internal::read_file_head(path, 132);
  if (head.size() >= 8 && head[0] == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') return FileKind::kPng;
  if (head.size() >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return FileKind::kJpeg;
  if (head.size() == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M')
    return FileKind::kDicom;
  if (looks_like_raw_dataset(head) || looks_like_shifted_dataset(head)) return FileKind::kDicom;
  return FileKind::kOther;
}

Result<std::vector<InputItem>> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>* notes) {
  return capture([&] {
    std::vector<InputItem> items;
    for (const auto& path : paths) {
      std::error_code ec;
      if (!fs::exists(path, ec)) throw Exception(ErrorCode::kNotFound, path + ": no such file or folder");
      if (fs::is_directory(path, ec)) {
        expand_folder(path, items, notes);
      } else if (is_dicomdir_name(path) && sniff_file(path) == FileKind::kDicom) {
        for (auto& file : internal::guard(path, [&] { return internal::dicomdir_image_files(path); }))
          items.push_back({file, ""});
      } else {
        items.push_back({path, ""});
      }
    }
    return items;
  });
}

}  // namespace cxr::dicom
