// The grayscale display pipeline of PS3.3 C.11 / PS3.4 N.2: Modality LUT, VOI LUT, Presentation LUT.
#include "pixel_pipeline.h"
#include "internal.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

namespace cxr::dicom::internal {
namespace {

std::string trimmed_string(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFString(tag, value).bad()) return {};
  std::string text = value.c_str();
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// The item holding `macro` (e.g. Pixel Value Transformation) for this frame: top level wins, then
// Per-frame Functional Groups item [frame], then Shared Functional Groups (PS3.3 C.7.6.16).
DcmItem* functional_group(DcmItem& dataset, const DcmTagKey& macro, int frame) {
  DcmItem* group = nullptr;
  DcmItem* inner = nullptr;
  if (dataset.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, group, frame).good() && group &&
      group->findAndGetSequenceItem(macro, inner, 0).good() && inner)
    return inner;
  if (dataset.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, group, 0).good() && group &&
      group->findAndGetSequenceItem(macro, inner, 0).good() && inner)
    return inner;
  return nullptr;
}

// One value of a LUT Descriptor, stored as US or (in some files) SS: returns the 16-bit pattern.
bool descriptor_value(DcmItem& item, const DcmTagKey& tag, unsigned long position, Uint16& value) {
  if (item.findAndGetUint16(tag, value, position).good()) return true;
  Sint16 signed_value = 0;
  if (item.findAndGetSint16(tag, signed_value, position).bad()) return false;
  value = static_cast<Uint16>(signed_value);
  return true;
}

// Reads a LUT (descriptor + data) from an item: Modality LUT Sequence or VOI LUT Sequence item.
bool read_lut(DcmItem& item, bool signed_input, VoiLut& lut) {
  Uint16 entries = 0, first = 0, bits = 0;
  if (!descriptor_value(item, DCM_LUTDescriptor, 0, entries) || !descriptor_value(item, DCM_LUTDescriptor, 1, first) ||
      !descriptor_value(item, DCM_LUTDescriptor, 2, bits))
    return false;
  const size_t count = entries == 0 ? 65536 : entries;  // PS3.3 C.11.1.1: 0 means 2^16
  const Uint16* words = nullptr;
  unsigned long words_count = 0;
  if (item.findAndGetUint16Array(DCM_LUTData, words, &words_count).bad() || !words) return false;
  lut.first_mapped = signed_input ? static_cast<int16_t>(first) : first;
  lut.bits = std::clamp<int>(bits, 1, 16);
  lut.data.resize(count);
  if (bits <= 8 && words_count * 2 >= count && words_count < count) {  // 8-bit entries packed two per word
    for (size_t i = 0; i < count; ++i) lut.data[i] = (words[i / 2] >> (8 * (i % 2))) & 0xFF;
  } else {
    if (words_count < count) return false;
    for (size_t i = 0; i < count; ++i) lut.data[i] = words[i];
  }
  return true;
}

double lut_lookup(const VoiLut& lut, double x) {
  const long index = std::clamp<long>(std::lround(x) - lut.first_mapped, 0, static_cast<long>(lut.data.size()) - 1);
  return lut.data[index];
}

// Expands a Segmented Palette Colour LUT (PS3.3 C.7.9.2): discrete (0), linear (1) and indirect (2)
// segments. Throws on malformed segments; `entries` bounds the output.
std::vector<uint16_t> expand_segmented(const Uint16* words, size_t count, size_t entries, const std::string& path) {
  std::vector<uint16_t> out;
  auto bad = [&] { fail(path, ErrorCode::kCorruptData, "malformed Segmented Palette Colour LUT Data"); };
  // Runs the segments in words[begin, end); indirect segments replay earlier ones (one level deep).
  std::function<void(size_t, size_t, size_t, bool)> run = [&](size_t at, size_t end, size_t max_segments, bool nested) {
    for (size_t segment = 0; at < end && segment < max_segments; ++segment) {
      if (at + 2 > count) bad();
      const uint16_t opcode = words[at], length = words[at + 1];
      at += 2;
      if (opcode == 0) {
        if (at + length > count) bad();
        out.insert(out.end(), words + at, words + at + length);
        at += length;
      } else if (opcode == 1) {
        if (out.empty() || at + 1 > count) bad();
        const double y0 = out.back(), y1 = words[at++];
        for (uint16_t i = 1; i <= length; ++i) out.push_back(static_cast<uint16_t>(std::lround(y0 + (y1 - y0) * i / length)));
      } else if (opcode == 2 && !nested) {
        if (at + 2 > count) bad();
        const size_t offset = words[at] | (static_cast<size_t>(words[at + 1]) << 16);
        at += 2;
        if (offset >= count) bad();
        run(offset, count, length, true);
      } else {
        bad();
      }
      if (out.size() > entries) bad();
    }
  };
  run(0, count, SIZE_MAX, false);
  if (out.size() < entries) out.resize(entries, out.empty() ? 0 : out.back());
  return out;
}

// Palette Colour LUT for one channel (PS3.3 C.7.6.3.1.5/6), output scaled to 0..255.
std::vector<double> palette_channel(DcmItem& data, const DcmTagKey& descriptor_tag, const DcmTagKey& data_tag,
                                    const DcmTagKey& segmented_tag, int& first, const std::string& path) {
  Uint16 entries = 0, first_mapped = 0, bits = 0;
  if (!descriptor_value(data, descriptor_tag, 0, entries) || !descriptor_value(data, descriptor_tag, 1, first_mapped) ||
      !descriptor_value(data, descriptor_tag, 2, bits))
    fail(path, ErrorCode::kCorruptData, "PALETTE COLOR without Palette Colour LUT Descriptors");
  const size_t count = entries == 0 ? 65536 : entries;
  const Uint16* words = nullptr;
  unsigned long words_count = 0;
  std::vector<uint16_t> expanded;
  if (data.findAndGetUint16Array(data_tag, words, &words_count).bad() || !words) {
    if (data.findAndGetUint16Array(segmented_tag, words, &words_count).bad() || !words)
      fail(path, ErrorCode::kCorruptData, "PALETTE COLOR without Palette Colour LUT Data");
    expanded = expand_segmented(words, words_count, count, path);
    words = expanded.data();
    words_count = expanded.size();
  }
  std::vector<double> lut(count);
  const bool packed8 = bits == 8 && words_count < count;
  if (!packed8 && words_count < count) fail(path, ErrorCode::kCorruptData, "Palette Colour LUT Data shorter than its descriptor");
  if (packed8 && words_count * 2 < count) fail(path, ErrorCode::kCorruptData, "Palette Colour LUT Data shorter than its descriptor");
  for (size_t i = 0; i < count; ++i) {
    lut[i] = packed8 ? ((words[i / 2] >> (8 * (i % 2))) & 0xFF) : (bits == 8 ? (words[i] & 0xFF) : words[i] / 257.0);
  }
  first = first_mapped;
  return lut;
}

double luma(double r, double g, double b) { return 0.299 * r + 0.587 * g + 0.114 * b; }

void finish_min_max(ModalityImage& image) {
  if (image.values.empty()) return;
  const auto [lo, hi] = std::minmax_element(image.values.begin(), image.values.end());
  image.min = *lo;
  image.max = *hi;
}

uint8_t to_byte(double y) { return static_cast<uint8_t>(std::clamp(std::lround(y), 0L, 255L)); }

}  // namespace

ModalityImage to_modality_image(const RawFrame& frame, DcmItem& data, int frame_index, const std::string& path) {
  ModalityImage image;
  image.width = frame.columns;
  image.height = frame.rows;
  const size_t pixels = static_cast<size_t>(frame.rows) * frame.columns;
  image.values.resize(pixels);
  const std::string& pi = frame.photometric;

  if (pi == "PALETTE COLOR") {
    int first_r = 0, first_g = 0, first_b = 0;
    const auto r = palette_channel(data, DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData,
                                   DCM_SegmentedRedPaletteColorLookupTableData, first_r, path);
    const auto g = palette_channel(data, DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData,
                                   DCM_SegmentedGreenPaletteColorLookupTableData, first_g, path);
    const auto b = palette_channel(data, DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData,
                                   DCM_SegmentedBluePaletteColorLookupTableData, first_b, path);
    auto at = [](const std::vector<double>& lut, long index) {
      return lut[std::clamp<long>(index, 0, static_cast<long>(lut.size()) - 1)];
    };
    for (size_t i = 0; i < pixels; ++i) {
      const long v = frame.samples[i];
      image.values[i] = static_cast<float>(luma(at(r, v - first_r), at(g, v - first_g), at(b, v - first_b)));
    }
    finish_min_max(image);
    return image;
  }
  if (frame.samples_per_pixel == 3) {
    const bool ybr = pi.rfind("YBR", 0) == 0;  // YBR_FULL (or expanded 422): Y is the luma already
    for (size_t i = 0; i < pixels; ++i) {
      const int32_t* s = &frame.samples[i * 3];
      image.values[i] = static_cast<float>(ybr ? s[0] : luma(s[0], s[1], s[2]));
    }
    finish_min_max(image);
    return image;
  }

  // Monochrome: Modality LUT Sequence (0028,3000) or Rescale Slope/Intercept (0028,1052/1053).
  image.monochrome1 = pi == "MONOCHROME1";
  DcmItem* modality_lut_item = nullptr;
  VoiLut modality_lut;
  if (data.findAndGetSequenceItem(DCM_ModalityLUTSequence, modality_lut_item, 0).good() && modality_lut_item &&
      read_lut(*modality_lut_item, frame.is_signed, modality_lut)) {
    for (size_t i = 0; i < pixels; ++i) image.values[i] = static_cast<float>(lut_lookup(modality_lut, frame.samples[i]));
  } else {
    DcmItem* source = &data;
    if (!data.tagExists(DCM_RescaleSlope) && !data.tagExists(DCM_RescaleIntercept))
      if (DcmItem* group = functional_group(data, DCM_PixelValueTransformationSequence, frame_index)) source = group;
    Float64 slope = 1, intercept = 0;
    if (source->findAndGetFloat64(DCM_RescaleSlope, slope).bad() || !std::isfinite(slope) || slope == 0) slope = 1;
    if (source->findAndGetFloat64(DCM_RescaleIntercept, intercept).bad() || !std::isfinite(intercept)) intercept = 0;
    for (size_t i = 0; i < pixels; ++i) image.values[i] = static_cast<float>(frame.samples[i] * slope + intercept);
  }
  const std::string shape = trimmed_string(data, DCM_PresentationLUTShape);
  if (!image.monochrome1 && shape == "INVERSE") image.monochrome1 = true;
  finish_min_max(image);
  return image;
}

Presentation read_presentation(DcmItem& data, int frame_index) {
  Presentation p;
  DcmItem* source = &data;
  if (!data.tagExists(DCM_WindowCenter))
    if (DcmItem* group = functional_group(data, DCM_FrameVOILUTSequence, frame_index)) source = group;
  for (unsigned long i = 0;; ++i) {
    Float64 center = 0, width = 0;
    if (source->findAndGetFloat64(DCM_WindowCenter, center, i).bad() ||
        source->findAndGetFloat64(DCM_WindowWidth, width, i).bad())
      break;
    if (!std::isfinite(center) || !std::isfinite(width) || width <= 0) continue;
    OFString explanation;
    source->findAndGetOFString(DCM_WindowCenterWidthExplanation, explanation, i);
    p.windows.push_back(Window{center, width, explanation.c_str()});
  }
  const std::string function = trimmed_string(*source, DCM_VOILUTFunction);
  if (function == "LINEAR_EXACT") p.function = VoiFunction::kLinearExact;
  if (function == "SIGMOID") p.function = VoiFunction::kSigmoid;
  DcmSequenceOfItems* luts = nullptr;
  Uint16 pixel_representation = 0;
  data.findAndGetUint16(DCM_PixelRepresentation, pixel_representation);
  if (data.findAndGetSequence(DCM_VOILUTSequence, luts).good() && luts) {
    for (unsigned long i = 0; i < luts->card(); ++i) {
      VoiLut lut;
      if (read_lut(*luts->getItem(i), pixel_representation == 1, lut)) p.voi_luts.push_back(std::move(lut));
    }
  }
  return p;
}

Image8 window_to_8bit(const ModalityImage& image, const Window& window, VoiFunction function) {
  Image8 out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(image.values.size());
  const double c = window.center;
  const double w = std::max(window.width, function == VoiFunction::kLinear ? 1.0 : 1e-9);
  // 256-level output, PS3.3 C.11.2.1.2: y in [0, 255].
  auto map = [&](double x) -> double {
    switch (function) {
      case VoiFunction::kLinearExact:
        if (x <= c - w / 2) return 0;
        if (x > c + w / 2) return 255;
        return ((x - c) / w + 0.5) * 255;
      case VoiFunction::kSigmoid:
        return 255 / (1 + std::exp(-4 * (x - c) / w));
      case VoiFunction::kLinear:
      default:
        if (w <= 1) return x <= c - 0.5 ? 0 : 255;
        if (x <= c - 0.5 - (w - 1) / 2) return 0;
        if (x > c - 0.5 + (w - 1) / 2) return 255;
        return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
    }
  };
  for (size_t i = 0; i < image.values.size(); ++i) {
    const uint8_t y = to_byte(map(image.values[i]));
    out.pixels[i] = image.monochrome1 ? 255 - y : y;
  }
  return out;
}

Image8 voi_lut_to_8bit(const ModalityImage& image, const VoiLut& lut) {
  Image8 out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(image.values.size());
  // Some files declare 16 output bits but use fewer: scale by the LUT's own maximum when smaller.
  const uint16_t data_max = lut.data.empty() ? 1 : *std::max_element(lut.data.begin(), lut.data.end());
  const double declared_max = (1 << lut.bits) - 1;
  const double top = (data_max > 0 && data_max < declared_max / 2) ? data_max : declared_max;
  for (size_t i = 0; i < image.values.size(); ++i) {
    const uint8_t y = to_byte(lut_lookup(lut, image.values[i]) * 255.0 / top);
    out.pixels[i] = image.monochrome1 ? 255 - y : y;
  }
  return out;
}

}  // namespace cxr::dicom::internal
