#include "j2k_decoder.h"
#include "internal.h"

#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>

namespace cxr::dicom::internal {
namespace {

struct MemoryStream {
  const uint8_t* data;
  size_t size;
  size_t offset;
};

OPJ_SIZE_T read_fn(void* buffer, OPJ_SIZE_T bytes, void* user) {
  auto* stream = static_cast<MemoryStream*>(user);
  if (stream->offset >= stream->size) return static_cast<OPJ_SIZE_T>(-1);
  const size_t n = std::min<size_t>(bytes, stream->size - stream->offset);
  std::memcpy(buffer, stream->data + stream->offset, n);
  stream->offset += n;
  return n;
}

OPJ_OFF_T skip_fn(OPJ_OFF_T bytes, void* user) {
  auto* stream = static_cast<MemoryStream*>(user);
  if (bytes < 0) {
    const size_t back = std::min<size_t>(static_cast<size_t>(-bytes), stream->offset);
    stream->offset -= back;
    return -static_cast<OPJ_OFF_T>(back);
  }
  const size_t n = std::min<size_t>(static_cast<size_t>(bytes), stream->size - stream->offset);
  stream->offset += n;
  return static_cast<OPJ_OFF_T>(n);
}

OPJ_BOOL seek_fn(OPJ_OFF_T position, void* user) {
  auto* stream = static_cast<MemoryStream*>(user);
  if (position < 0 || static_cast<size_t>(position) > stream->size) return OPJ_FALSE;
  stream->offset = static_cast<size_t>(position);
  return OPJ_TRUE;
}

void quiet(const char*, void*) {}

struct CodecDeleter { void operator()(opj_codec_t* c) const { opj_destroy_codec(c); } };
struct StreamDeleter { void operator()(opj_stream_t* s) const { opj_stream_destroy(s); } };
struct ImageDeleter { void operator()(opj_image_t* i) const { opj_image_destroy(i); } };

}  // namespace

J2kImage decode_j2k(const uint8_t* data, size_t size, const std::string& path, int threads) {
  if (size < 12) fail(path, ErrorCode::kCorruptData, "JPEG 2000 fragment is too short");
  const bool jp2 = data[4] == 'j' && data[5] == 'P' && data[6] == ' ' && data[7] == ' ';
  const bool j2k = data[0] == 0xFF && data[1] == 0x4F && data[2] == 0xFF && data[3] == 0x51;
  if (!jp2 && !j2k) fail(path, ErrorCode::kCorruptData, "encapsulated frame is not a JPEG 2000 codestream (no SOC/SIZ marker)");

  std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
  opj_set_info_handler(codec.get(), quiet, nullptr);
  opj_set_warning_handler(codec.get(), quiet, nullptr);
  opj_set_error_handler(codec.get(), quiet, nullptr);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (!opj_setup_decoder(codec.get(), &parameters)) fail(path, ErrorCode::kInternal, "OpenJPEG decoder set-up failed");
  const int workers = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (workers > 1) opj_codec_set_threads(codec.get(), workers);  // falls back to 1 thread if unsupported

  MemoryStream memory{data, size, 0};
  std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(1 << 16, OPJ_TRUE));
  opj_stream_set_user_data(stream.get(), &memory, nullptr);
  opj_stream_set_user_data_length(stream.get(), size);
  opj_stream_set_read_function(stream.get(), read_fn);
  opj_stream_set_skip_function(stream.get(), skip_fn);
  opj_stream_set_seek_function(stream.get(), seek_fn);

  opj_image_t* raw_image = nullptr;
  if (!opj_read_header(stream.get(), codec.get(), &raw_image))
    fail(path, ErrorCode::kCorruptData, "invalid JPEG 2000 header");
  std::unique_ptr<opj_image_t, ImageDeleter> image(raw_image);
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()))
    fail(path, ErrorCode::kCorruptData, "JPEG 2000 data is corrupt or truncated");
  if (image->numcomps < 1) fail(path, ErrorCode::kCorruptData, "JPEG 2000 image has no components");

  J2kImage out;
  const opj_image_comp_t& first = image->comps[0];
  out.width = static_cast<int>(first.w);
  out.height = static_cast<int>(first.h);
  out.components = static_cast<int>(image->numcomps);
  out.precision = static_cast<int>(first.prec);
  out.is_signed = first.sgnd != 0;
  for (int c = 0; c < out.components; ++c) {
    const auto& comp = image->comps[c];
    if (comp.w != first.w || comp.h != first.h || !comp.data)
      fail(path, ErrorCode::kUnsupported, "JPEG 2000 components with different sizes (sub-sampling) are not supported");
  }
  const size_t pixels = static_cast<size_t>(out.width) * out.height;
  out.samples.resize(pixels * out.components);
  for (int c = 0; c < out.components; ++c) {
    const OPJ_INT32* src = image->comps[c].data;
    for (size_t i = 0; i < pixels; ++i) out.samples[i * out.components + c] = src[i];
  }
  return out;
}

}  // namespace cxr::dicom::internal
