// Frame decoding: native pixel data, DCMTK codecs (JPEG, JPEG-LS, RLE) and OpenJPEG (JPEG 2000, HTJ2K).
#include "pixel_decode.h"
#include "dcmtk_support.h"
#include "internal.h"
#include "j2k_decoder.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <cstring>

namespace cxr::dicom::internal {
namespace {

// Image Pixel Module attributes (PS3.3 C.7.6.3) as read from the dataset.
struct PixelModule {
  int rows = 0, columns = 0, samples_per_pixel = 1, frames = 1;
  int bits_allocated = 0, bits_stored = 0, high_bit = 0, pixel_representation = 0, planar_configuration = 0;
  std::string photometric;
};

int get_us(DcmItem& item, const DcmTagKey& tag, int fallback) {
  Uint16 value = 0;
  return item.findAndGetUint16(tag, value).good() ? value : fallback;
}

PixelModule read_pixel_module(DcmDataset& data, const std::string& path) {
  PixelModule m;
  m.rows = get_us(data, DCM_Rows, 0);
  m.columns = get_us(data, DCM_Columns, 0);
  m.samples_per_pixel = get_us(data, DCM_SamplesPerPixel, 1);
  m.bits_allocated = get_us(data, DCM_BitsAllocated, 0);
  m.bits_stored = get_us(data, DCM_BitsStored, m.bits_allocated);
  m.high_bit = get_us(data, DCM_HighBit, m.bits_stored - 1);
  m.pixel_representation = get_us(data, DCM_PixelRepresentation, 0);
  m.planar_configuration = get_us(data, DCM_PlanarConfiguration, 0);
  m.frames = number_of_frames(data, path);
  OFString photometric;
  data.findAndGetOFString(DCM_PhotometricInterpretation, photometric);
  m.photometric = photometric.c_str();
  while (!m.photometric.empty() && m.photometric.back() == ' ') m.photometric.pop_back();

  if (m.rows <= 0 || m.columns <= 0) fail(path, ErrorCode::kCorruptData, "Rows/Columns missing or zero");
  if (m.samples_per_pixel != 1 && m.samples_per_pixel != 3)
    fail(path, ErrorCode::kUnsupported, "Samples per Pixel " + std::to_string(m.samples_per_pixel) + " (only 1 or 3)");
  if (m.bits_allocated != 8 && m.bits_allocated != 16 && m.bits_allocated != 32)
    fail(path, ErrorCode::kUnsupported, "Bits Allocated " + std::to_string(m.bits_allocated) + " (only 8, 16, 32)");
  if (m.bits_stored < 1 || m.bits_stored > m.bits_allocated || m.high_bit >= m.bits_allocated ||
      m.high_bit + 1 < m.bits_stored)
    fail(path, ErrorCode::kCorruptData,
         "inconsistent Bits Stored " + std::to_string(m.bits_stored) + " / High Bit " + std::to_string(m.high_bit) +
             " / Bits Allocated " + std::to_string(m.bits_allocated));
  if (m.photometric.empty()) m.photometric = m.samples_per_pixel == 3 ? "RGB" : "MONOCHROME2";
  return m;
}

bool is_j2k_syntax(const std::string& uid) {
  return uid == "1.2.840.10008.1.2.4.90" || uid == "1.2.840.10008.1.2.4.91" || uid == "1.2.840.10008.1.2.4.92" ||
         uid == "1.2.840.10008.1.2.4.93" || uid == "1.2.840.10008.1.2.4.201" || uid == "1.2.840.10008.1.2.4.202" ||
         uid == "1.2.840.10008.1.2.4.203";
}

std::string transfer_syntax_uid(DcmFileFormat& file) {
  OFString uid;
  if (file.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, uid).good() && !uid.empty()) return uid.c_str();
  return DcmXfer(file.getDataset()->getOriginalXfer()).getXferID();
}

// Stored value of bits [high_bit - bits_stored + 1, high_bit], sign-extended when signed.
struct BitUnpacker {
  int shift, bits;
  uint32_t mask;
  bool is_signed;
  BitUnpacker(const PixelModule& m)
      : shift(m.high_bit + 1 - m.bits_stored), bits(m.bits_stored),
        mask(m.bits_stored >= 32 ? 0xFFFFFFFFu : ((1u << m.bits_stored) - 1)), is_signed(m.pixel_representation == 1) {}
  int32_t operator()(uint32_t raw) const {
    uint32_t value = (raw >> shift) & mask;
    if (is_signed && bits < 32 && (value >> (bits - 1)) & 1u) value |= ~mask;
    return static_cast<int32_t>(value);
  }
};

// Native (uncompressed) frame bytes -> RawFrame. bytes holds whole frames in little-endian order.
RawFrame unpack_native(const uint8_t* bytes, size_t available, const PixelModule& m, int frame, const std::string& path) {
  const bool ybr422 = m.photometric == "YBR_FULL_422" || m.photometric == "YBR_PARTIAL_422";
  const size_t pixels = static_cast<size_t>(m.rows) * m.columns;
  const size_t bytes_per_sample = m.bits_allocated / 8;
  const size_t frame_samples = ybr422 ? pixels * 2 : pixels * m.samples_per_pixel;
  const size_t frame_bytes = frame_samples * bytes_per_sample;
  const size_t needed = frame_bytes * (static_cast<size_t>(frame) + 1);
  if (available < needed)
    fail(path, ErrorCode::kCorruptData,
         "truncated pixel data (got " + std::to_string(available) + " bytes, frame " + std::to_string(frame) +
             " needs " + std::to_string(needed) + "); re-export the image");
  const uint8_t* src = bytes + frame_bytes * frame;
  auto load = [&](size_t index) -> uint32_t {
    const uint8_t* p = src + index * bytes_per_sample;
    switch (bytes_per_sample) {
      case 1: return p[0];
      case 2: return p[0] | (p[1] << 8);
      default: return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24);
    }
  };
  const BitUnpacker unpack(m);
  RawFrame out;
  out.rows = m.rows;
  out.columns = m.columns;
  out.samples_per_pixel = m.samples_per_pixel;
  out.bits_stored = m.bits_stored;
  out.is_signed = m.pixel_representation == 1;
  out.photometric = m.photometric;
  out.samples.resize(pixels * m.samples_per_pixel);
  if (ybr422 && m.samples_per_pixel == 3) {  // Y0 Y1 Cb Cr per pair of pixels (PS3.3 C.7.6.3.1.2)
    out.photometric = "YBR_FULL";
    for (size_t i = 0; i < pixels; ++i) {
      const size_t pair = (i / 2) * 4;
      out.samples[i * 3 + 0] = unpack(load(pair + (i % 2)));
      out.samples[i * 3 + 1] = unpack(load(pair + 2));
      out.samples[i * 3 + 2] = unpack(load(pair + 3));
    }
  } else if (m.samples_per_pixel == 3 && m.planar_configuration == 1) {  // RRR... GGG... BBB...
    for (size_t i = 0; i < pixels; ++i)
      for (int c = 0; c < 3; ++c) out.samples[i * 3 + c] = unpack(load(c * pixels + i));
  } else {
    for (size_t i = 0; i < out.samples.size(); ++i) out.samples[i] = unpack(load(i));
  }
  return out;
}

// The native Pixel Data element's bytes in little-endian order (DCMTK swaps on access).
std::pair<const uint8_t*, size_t> native_bytes(DcmElement& pixel_data, const PixelModule& m, const std::string& path) {
  const Uint32 length = pixel_data.getLength();
  // OB (any Bits Allocated; byte order as in a little-endian file) or 8-bit data: the raw bytes.
  if (pixel_data.getVR() == EVR_OB || pixel_data.getVR() == EVR_UN || (m.bits_allocated == 8 && pixel_data.getVR() != EVR_OW)) {
    Uint8* data = nullptr;
    if (pixel_data.getUint8Array(data).bad() || (!data && length > 0))
      fail(path, ErrorCode::kCorruptData, "cannot read the pixel data (file truncated?)");
    return {data, length};
  }
  Uint16* words = nullptr;
  if (pixel_data.getUint16Array(words).bad() || (!words && length > 0))
    fail(path, ErrorCode::kCorruptData, "cannot read the pixel data (file truncated?)");
  return {reinterpret_cast<const uint8_t*>(words), length};  // host is little-endian (checked at build)
}

// Bytes of frame `frame` from an encapsulated Pixel Data (PS3.5 A.4): one fragment per frame, all
// fragments for a single frame, or the Basic Offset Table.
std::vector<uint8_t> encapsulated_frame(DcmPixelSequence& sequence, int frames, int frame, const std::string& path) {
  const unsigned long items = sequence.card();
  if (items < 2) fail(path, ErrorCode::kCorruptData, "encapsulated pixel data has no fragments");
  auto fragment_bytes = [&](unsigned long index, std::vector<uint8_t>& out) {
    DcmPixelItem* item = nullptr;
    if (sequence.getItem(item, index).bad() || !item) fail(path, ErrorCode::kCorruptData, "missing pixel data fragment");
    Uint8* data = nullptr;
    const Uint32 length = item->getLength();
    if (length == 0) return;
    if (item->getUint8Array(data).bad() || !data) fail(path, ErrorCode::kCorruptData, "unreadable pixel data fragment (file truncated?)");
    out.insert(out.end(), data, data + length);
  };
  std::vector<uint8_t> bytes;
  if (frames == 1) {
    for (unsigned long i = 1; i < items; ++i) fragment_bytes(i, bytes);
    return bytes;
  }
  if (items - 1 == static_cast<unsigned long>(frames)) {
    fragment_bytes(frame + 1, bytes);
    return bytes;
  }
  // Basic Offset Table: offsets of each frame's first fragment, counted from the first fragment's tag.
  DcmPixelItem* table = nullptr;
  Uint32* offsets = nullptr;
  if (sequence.getItem(table, 0).bad() || !table || table->getLength() < 4u * frames ||
      table->getUint32Array(offsets).bad() || !offsets)
    fail(path, ErrorCode::kUnsupported, "multi-frame encapsulated data without a usable Basic Offset Table");
  const uint64_t begin = offsets[frame];
  const uint64_t end = frame + 1 < frames ? offsets[frame + 1] : UINT64_MAX;
  uint64_t position = 0;
  for (unsigned long i = 1; i < items; ++i) {
    DcmPixelItem* item = nullptr;
    sequence.getItem(item, i);
    if (position >= begin && position < end) fragment_bytes(i, bytes);
    position += 8 + (item ? item->getLength() : 0);
  }
  if (bytes.empty()) fail(path, ErrorCode::kCorruptData, "Basic Offset Table points past the fragments");
  return bytes;
}

RawFrame decode_j2k_frame(DcmElement& pixel_data, const PixelModule& m, int frame, const std::string& path,
                          int threads) {
  auto* pixel = dynamic_cast<DcmPixelData*>(&pixel_data);
  DcmPixelSequence* sequence = nullptr;
  if (pixel) {
    E_TransferSyntax xfer = EXS_Unknown;
    const DcmRepresentationParameter* parameter = nullptr;
    pixel->getOriginalRepresentationKey(xfer, parameter);
    pixel->getEncapsulatedRepresentation(xfer, parameter, sequence);
  }
  if (!sequence) fail(path, ErrorCode::kCorruptData, "JPEG 2000 transfer syntax but the pixel data is not encapsulated");
  const std::vector<uint8_t> bytes = encapsulated_frame(*sequence, m.frames, frame, path);
  J2kImage image = decode_j2k(bytes.data(), bytes.size(), path, threads);
  if (image.width != m.columns || image.height != m.rows || image.components != m.samples_per_pixel)
    fail(path, ErrorCode::kCorruptData,
         "JPEG 2000 image is " + std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
             std::to_string(image.components) + " but the header says " + std::to_string(m.columns) + "x" +
             std::to_string(m.rows) + "x" + std::to_string(m.samples_per_pixel));
  RawFrame out;
  out.rows = m.rows;
  out.columns = m.columns;
  out.samples_per_pixel = m.samples_per_pixel;
  out.bits_stored = m.bits_stored;
  out.is_signed = m.pixel_representation == 1;
  // The codestream's multi-component transform was undone by OpenJPEG: YBR_RCT/ICT are now RGB.
  out.photometric = (m.photometric == "YBR_RCT" || m.photometric == "YBR_ICT") ? "RGB" : m.photometric;
  out.samples = std::move(image.samples);
  return out;
}

}  // namespace

RawFrame decode_frame(DcmFileFormat& file, const std::string& path, int frame, int threads) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "pixel unpacking assumes a little-endian host");
  DcmDataset& data = *file.getDataset();
  DcmElement* pixel_data = nullptr;
  if (data.findAndGetElement(DCM_PixelData, pixel_data).bad() || !pixel_data) {
    if (data.tagExists(DCM_FloatPixelData) || data.tagExists(DCM_DoubleFloatPixelData))
      fail(path, ErrorCode::kUnsupported, "float pixel data (parametric maps) is not supported");
    fail(path, ErrorCode::kInvalidArgument, "no Pixel Data (7FE0,0010): not an image (e.g. a report or DICOMDIR)");
  }
  PixelModule m = read_pixel_module(data, path);
  if (frame < 0 || frame >= m.frames)
    fail(path, ErrorCode::kInvalidArgument,
         "frame " + std::to_string(frame) + " out of range (the file has " + std::to_string(m.frames) + " frame" +
             (m.frames == 1 ? "" : "s") + ", numbered from 0)");
  const uint64_t frame_pixels = static_cast<uint64_t>(m.rows) * m.columns;
  if (frame_pixels * m.samples_per_pixel > (1ull << 30))
    fail(path, ErrorCode::kUnsupported, "frame larger than 2^30 samples");

  const std::string uid = transfer_syntax_uid(file);
  if (is_j2k_syntax(uid)) return decode_j2k_frame(*pixel_data, m, frame, path, threads);

  const DcmXfer xfer(data.getOriginalXfer());
  if (xfer.isEncapsulated() || pixel_data->getLength() == DCM_UndefinedLength) {
    // DCMTK decompresses all frames in place (JPEG, JPEG-LS, RLE) and updates Photometric
    // Interpretation / Planar Configuration to describe the decompressed samples.
    const OFCondition status = data.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (status.bad() || !data.canWriteXfer(EXS_LittleEndianExplicit)) {
      const DcmXfer known(uid.c_str());
      if (known.getXfer() == EXS_Unknown || !known.isEncapsulated() ||
          std::string(status.text()).find("codec") != std::string::npos)
        fail(path, ErrorCode::kUnsupported, "transfer syntax " + uid + " cannot be decoded (no codec)");
      fail(path, ErrorCode::kCorruptData,
           std::string("compressed pixel data cannot be decoded (") + status.text() + "); the file is corrupt or truncated");
    }
    if (data.findAndGetElement(DCM_PixelData, pixel_data).bad() || !pixel_data)
      fail(path, ErrorCode::kInternal, "pixel data vanished after decompression");
    m = read_pixel_module(data, path);
  }
  const auto [bytes, length] = native_bytes(*pixel_data, m, path);
  return unpack_native(bytes, length, m, frame, path);
}

RawFrame decode_file_frame(const std::string& path, int frame, int threads) {
  auto file = load_dicom_file(path, /*header_only=*/false);
  return decode_frame(*file, path, frame, threads);
}

}  // namespace cxr::dicom::internal
