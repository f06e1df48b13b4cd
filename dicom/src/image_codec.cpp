// PNG/JPEG decoding and PNG writing (OpenCV imgcodecs). Presentation-ready research images are
// reduced to 8-bit gray; 16-bit PNGs are scaled by 255/65535.
#include "cxr/dicom/image.h"
#include "internal.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>

namespace cxr::dicom {
namespace {

Image8 to_image8(const cv::Mat& gray8) {
  Image8 image;
  image.width = gray8.cols;
  image.height = gray8.rows;
  image.pixels.resize(static_cast<size_t>(gray8.cols) * gray8.rows);
  for (int y = 0; y < gray8.rows; ++y)
    std::memcpy(image.pixels.data() + static_cast<size_t>(y) * gray8.cols, gray8.ptr<uint8_t>(y), gray8.cols);
  return image;
}

// Throws cxr::Exception (cause only; the caller adds the file name).
Image8 decode_or_throw(const std::vector<uint8_t>& bytes) {
  if (bytes.size() < 8) throw Exception(ErrorCode::kCorruptData, "too short to be a PNG or JPEG");
  const bool png = bytes[0] == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G';
  const bool jpeg = bytes[0] == 0xFF && bytes[1] == 0xD8;
  if (!png && !jpeg) throw Exception(ErrorCode::kUnsupported, "not a PNG or JPEG image");
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<uint8_t*>(bytes.data()));
  cv::Mat decoded = cv::imdecode(encoded, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
  if (decoded.empty())
    throw Exception(ErrorCode::kCorruptData, std::string("cannot decode the ") + (png ? "PNG" : "JPEG") + " data (corrupt or truncated)");
  if (decoded.channels() == 4) cv::cvtColor(decoded, decoded, cv::COLOR_BGRA2GRAY);
  else if (decoded.channels() == 3) cv::cvtColor(decoded, decoded, cv::COLOR_BGR2GRAY);
  if (decoded.depth() == CV_16U) decoded.convertTo(decoded, CV_8U, 255.0 / 65535.0);
  else if (decoded.depth() != CV_8U) decoded.convertTo(decoded, CV_8U);
  return to_image8(decoded);
}

}  // namespace

Result<Image8> decode_png_or_jpeg(const std::vector<uint8_t>& bytes) {
  return capture([&] { return decode_or_throw(bytes); });
}

Result<Image8> read_png_or_jpeg(const std::string& path) {
  return capture([&] {
    const auto bytes = internal::read_file_bytes(path);
    try {
      return decode_or_throw(bytes);
    } catch (const Exception& e) {
      internal::fail(path, e.code(), e.what());
    }
  });
}

Status write_png(const std::string& path, const Image8& image) {
  auto written = capture([&] {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<size_t>(image.width) * image.height)
      internal::fail(path, ErrorCode::kInvalidArgument, "empty or inconsistent image, nothing written");
    const cv::Mat mat(image.height, image.width, CV_8UC1, const_cast<uint8_t*>(image.pixels.data()));
    std::vector<uint8_t> encoded;
    if (!cv::imencode(".png", mat, encoded)) internal::fail(path, ErrorCode::kInternal, "PNG encoding failed");
    const std::string temp = path + ".tmp";
    std::FILE* file = std::fopen(temp.c_str(), "wb");
    if (!file) internal::fail(path, ErrorCode::kIo, "cannot create the file (check the folder exists and is writable)");
    const bool ok = std::fwrite(encoded.data(), 1, encoded.size(), file) == encoded.size();
    if (std::fclose(file) != 0 || !ok) {
      std::remove(temp.c_str());
      internal::fail(path, ErrorCode::kIo, "write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) internal::fail(path, ErrorCode::kIo, "cannot rename temporary file: " + ec.message());
    return true;
  });
  if (!written) return written.error();
  return Status::Ok();
}

}  // namespace cxr::dicom
