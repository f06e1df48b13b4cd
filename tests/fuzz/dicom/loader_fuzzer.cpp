// libFuzzer entry point: any bytes, written to a file, through read_metadata, load_image (frame 0
// and the last frame) and preprocessing. Must never crash, hang or leak; errors are fine.
#include "cxr/dicom/dicom.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace {

// One scratch file per fuzzing process (the public API takes paths); /dev/shm keeps it in memory.
const std::string& scratch_path() {
  static const std::string path = "/dev/shm/cxr-fuzz-" + std::to_string(getpid()) + ".dcm";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = scratch_path();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);

  auto meta = cxr::dicom::read_metadata(path);
  auto loaded = cxr::dicom::load_image(path);
  if (loaded) {
    cxr::dicom::PreprocessSpec spec;
    spec.image_size = 32;
    const auto resized = cxr::dicom::resize_for_model(loaded->image, spec);
    (void)cxr::dicom::to_model_tensor(resized, spec);
    if (loaded->meta.frames > 1) (void)cxr::dicom::load_image(path, {loaded->meta.frames - 1, std::nullopt});
  }
  auto modality = cxr::dicom::load_modality_image(path);
  if (modality) (void)cxr::dicom::apply_window(*modality, cxr::dicom::Window{40, 400, ""});
  return 0;
}
