// Fixture writers for the io tests; each uses the format's own library so the readers are checked against
// an independent encoder. The one STB_IMAGE_WRITE_IMPLEMENTATION of the test binary lives here.
#include "unit/io/io_fixtures.h"

#include <gdcmAttribute.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageWriter.h>
#include <gdcmReader.h>
#include <gdcmWriter.h>
#include <gdcmTrace.h>
#include <nifti2_io.h>
#include <png.h>
#include <tiffio.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

// Debian's stb_image_write (1.16) shifts negative values in its JPEG Huffman writer, which UBSan reports in
// the sanitizer build (build-fuzz); the shift is harmless in practice and the writer only makes fixtures.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("shift"))), apply_to = function)
#endif
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#if defined(__clang__)
#pragma clang attribute pop
#endif

namespace osgan::test {

void write_png(const std::filesystem::path& path, int width, int height, int channels, int bits,
               const std::vector<std::uint16_t>& samples) {
  FILE* fp = std::fopen(path.c_str(), "wb");
  if (!fp) throw std::runtime_error("write_png: cannot open " + path.string());
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(fp);
    throw std::runtime_error("write_png: libpng failed");
  }
  png_init_io(png, fp);
  const int types[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
  png_set_IHDR(png, info, width, height, bits, types[channels - 1], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const int bytes = bits / 8;
  std::vector<png_byte> row(static_cast<std::size_t>(width) * channels * bytes);
  for (int y = 0; y < height; ++y) {
    for (int i = 0; i < width * channels; ++i) {
      const std::uint16_t v = samples[static_cast<std::size_t>(y) * width * channels + i];
      if (bytes == 2) {  // PNG stores 16-bit samples big-endian
        row[2 * i] = static_cast<png_byte>(v >> 8);
        row[2 * i + 1] = static_cast<png_byte>(v & 0xFF);
      } else {
        row[i] = static_cast<png_byte>(v);
      }
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(fp);
}

void write_jpeg(const std::filesystem::path& path, int width, int height, int channels,
                const std::vector<std::uint8_t>& samples, int quality) {
  if (!stbi_write_jpg(path.c_str(), width, height, channels, samples.data(), quality))
    throw std::runtime_error("write_jpeg failed");
}

void write_bmp(const std::filesystem::path& path, int width, int height, int channels,
               const std::vector<std::uint8_t>& samples) {
  if (!stbi_write_bmp(path.c_str(), width, height, channels, samples.data())) throw std::runtime_error("write_bmp failed");
}

void write_tiff(const std::filesystem::path& path, int width, int height, int channels, int bits, bool is_float,
                const std::vector<double>& samples, bool tiled) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  if (!tif) throw std::runtime_error("write_tiff: cannot open " + path.string());
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(width));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(height));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, static_cast<std::uint16_t>(channels));
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, static_cast<std::uint16_t>(bits));
  TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, is_float ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, channels >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  if (channels == 2 || channels == 4) {
    const std::uint16_t extra[] = {EXTRASAMPLE_UNASSALPHA};
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, extra);
  }
  const int bytes = bits / 8;
  auto encode = [&](std::size_t i, unsigned char* out) {
    const double v = samples[i];
    if (is_float) {
      const float f = static_cast<float>(v);
      std::memcpy(out, &f, 4);
    } else if (bytes == 2) {
      const auto u = static_cast<std::uint16_t>(v);
      std::memcpy(out, &u, 2);
    } else {
      *out = static_cast<unsigned char>(v);
    }
  };
  if (tiled) {
    const int t = 16;
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, t);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, t);
    std::vector<unsigned char> tile(static_cast<std::size_t>(t) * t * channels * bytes);
    for (int ty = 0; ty < height; ty += t)
      for (int tx = 0; tx < width; tx += t) {
        std::fill(tile.begin(), tile.end(), 0);
        for (int y = ty; y < std::min(ty + t, height); ++y)
          for (int x = tx; x < std::min(tx + t, width); ++x)
            for (int c = 0; c < channels; ++c)
              encode((static_cast<std::size_t>(y) * width + x) * channels + c,
                     tile.data() + ((static_cast<std::size_t>(y - ty) * t + (x - tx)) * channels + c) * bytes);
        TIFFWriteTile(tif, tile.data(), tx, ty, 0, 0);
      }
  } else {
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 2);
    std::vector<unsigned char> row(static_cast<std::size_t>(width) * channels * bytes);
    for (int y = 0; y < height; ++y) {
      for (int i = 0; i < width * channels; ++i)
        encode(static_cast<std::size_t>(y) * width * channels + i, row.data() + static_cast<std::size_t>(i) * bytes);
      if (TIFFWriteScanline(tif, row.data(), static_cast<std::uint32_t>(y), 0) < 0) {
        TIFFClose(tif);
        throw std::runtime_error("write_tiff: TIFFWriteScanline failed");
      }
    }
  }
  TIFFClose(tif);
}

namespace {

// An 8-bit single-sample strip TIFF with the given photometric; `tags` sets anything extra.
template <typename Tags>
void write_tiff8(const std::filesystem::path& path, int width, int height, const std::vector<std::uint8_t>& samples,
                 std::uint16_t photometric, Tags tags) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  if (!tif) throw std::runtime_error("write_tiff8: cannot open " + path.string());
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(width));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(height));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, photometric);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, static_cast<std::uint32_t>(height));
  tags(tif);
  std::vector<std::uint8_t> row(static_cast<std::size_t>(width));
  for (int y = 0; y < height; ++y) {
    std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(y) * width, width, row.begin());
    TIFFWriteScanline(tif, row.data(), static_cast<std::uint32_t>(y), 0);
  }
  TIFFClose(tif);
}

}  // namespace

void write_tiff_palette(const std::filesystem::path& path, int width, int height, const std::vector<std::uint8_t>& indices,
                        const std::vector<std::uint16_t>& red, const std::vector<std::uint16_t>& green,
                        const std::vector<std::uint16_t>& blue) {
  write_tiff8(path, width, height, indices, PHOTOMETRIC_PALETTE, [&](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_COLORMAP, red.data(), green.data(), blue.data());
  });
}

void write_tiff_min_is_white(const std::filesystem::path& path, int width, int height,
                             const std::vector<std::uint8_t>& samples) {
  write_tiff8(path, width, height, samples, PHOTOMETRIC_MINISWHITE, [](TIFF*) {});
}

void write_dicom(const std::filesystem::path& path, const DicomSpec& spec) {
  gdcm::Trace::SetWarning(false);  // the writer warns about the SOP class we leave unset
  gdcm::ImageWriter writer;
  gdcm::Image& image = writer.GetImage();
  image.SetNumberOfDimensions(spec.frames > 1 ? 3 : 2);
  image.SetDimension(0, static_cast<unsigned int>(spec.width));
  image.SetDimension(1, static_cast<unsigned int>(spec.height));
  if (spec.frames > 1) image.SetDimension(2, static_cast<unsigned int>(spec.frames));
  gdcm::PixelFormat pf(spec.rgb ? 3 : 1, static_cast<unsigned short>(spec.bits_allocated), static_cast<unsigned short>(spec.bits_stored),
                       static_cast<unsigned short>(spec.bits_stored - 1), spec.is_signed ? 1 : 0);
  image.SetPixelFormat(pf);
  image.SetPhotometricInterpretation(spec.rgb           ? gdcm::PhotometricInterpretation::RGB
                                     : spec.monochrome1 ? gdcm::PhotometricInterpretation::MONOCHROME1
                                                        : gdcm::PhotometricInterpretation::MONOCHROME2);
  if (spec.rgb) image.SetPlanarConfiguration(0);
  image.SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
  const int bytes = spec.bits_allocated / 8;
  std::vector<char> buffer(spec.stored.size() * static_cast<std::size_t>(bytes));
  for (std::size_t i = 0; i < spec.stored.size(); ++i) {
    const std::int32_t v = spec.stored[i];
    std::memcpy(buffer.data() + i * bytes, &v, static_cast<std::size_t>(bytes));  // little-endian host
  }
  gdcm::DataElement pixels(gdcm::Tag(0x7fe0, 0x0010));
  pixels.SetByteValue(buffer.data(), static_cast<std::uint32_t>(buffer.size()));
  image.SetDataElement(pixels);
  image.SetSlope(spec.slope);
  image.SetIntercept(spec.intercept);

  gdcm::DataSet& ds = writer.GetFile().GetDataSet();
  if (spec.slope != 1.0 || spec.intercept != 0.0) {
    // Written as plain attributes so the test does not depend on which SOP classes GDCM rescales.
    gdcm::Attribute<0x0028, 0x1053> slope{spec.slope};
    gdcm::Attribute<0x0028, 0x1052> intercept{spec.intercept};
    ds.Replace(slope.GetAsDataElement());
    ds.Replace(intercept.GetAsDataElement());
  }
  if (spec.un_sequence) {
    gdcm::DataElement value(gdcm::Tag(0x0021, 0x1011));
    value.SetByteValue("ABCD", 4);
    gdcm::Item item;
    item.SetVLToUndefined();
    item.GetNestedDataSet().Insert(value);
    gdcm::SmartPointer<gdcm::SequenceOfItems> items = new gdcm::SequenceOfItems;
    items->SetLengthToUndefined();
    items->AddItem(item);
    gdcm::DataElement sequence(gdcm::Tag(0x0021, 0x1010));
    sequence.SetVR(gdcm::VR::UN);
    sequence.SetValue(*items);
    sequence.SetVLToUndefined();
    ds.Insert(sequence);
  }
  if (!spec.compression.empty()) {
    const gdcm::TransferSyntax::TSType ts =
        spec.compression == "rle"             ? gdcm::TransferSyntax::RLELossless
        : spec.compression == "jpeg-lossless" ? gdcm::TransferSyntax::JPEGLosslessProcess14_1
        : spec.compression == "jpeg-ls"       ? gdcm::TransferSyntax::JPEGLSLossless
        : spec.compression == "jpeg2000"      ? gdcm::TransferSyntax::JPEG2000Lossless
        : spec.compression == "jpeg-baseline" ? gdcm::TransferSyntax::JPEGBaselineProcess1
                                              : throw std::runtime_error("write_dicom: unknown compression " + spec.compression);
    gdcm::ImageChangeTransferSyntax change;
    change.SetTransferSyntax(ts);
    change.SetInput(image);
    if (!change.Change()) throw std::runtime_error("write_dicom: " + spec.compression + " compression failed");
    writer.SetImage(change.GetOutput());
  }
  writer.SetFileName(path.c_str());
  if (!writer.Write()) throw std::runtime_error("write_dicom: GDCM could not write " + path.string());
}

void relabel_dicom_as_mpeg2(const std::filesystem::path& in, const std::filesystem::path& out) {
  gdcm::Reader reader;
  reader.SetFileName(in.c_str());
  if (!reader.Read()) throw std::runtime_error("relabel_dicom_as_mpeg2: cannot read " + in.string());
  gdcm::File& file = reader.GetFile();
  file.GetHeader().Clear();
  file.GetHeader().SetDataSetTransferSyntax(gdcm::TransferSyntax::MPEG2MainProfile);
  gdcm::Writer writer;
  writer.SetFile(file);
  writer.SetFileName(out.c_str());
  if (!writer.Write()) throw std::runtime_error("relabel_dicom_as_mpeg2: cannot write " + out.string());
}

void write_nifti(const std::filesystem::path& path, int nx, int ny, int nz, int datatype,
                 const std::vector<double>& voxels, double slope, double inter, bool nifti2) {
  const std::int64_t dims[8] = {3, nx, ny, nz, 1, 1, 1, 1};
  nifti_image* nim = nifti_make_new_nim(dims, datatype, 1);
  if (!nim) throw std::runtime_error("write_nifti: nifti_make_new_nim failed");
  for (std::size_t i = 0; i < voxels.size(); ++i) {
    auto* d = static_cast<unsigned char*>(nim->data);
    const double v = voxels[i];
    switch (datatype) {
      case DT_UINT8: d[i] = static_cast<std::uint8_t>(v); break;
      case DT_INT16: { const auto s = static_cast<std::int16_t>(v); std::memcpy(d + 2 * i, &s, 2); break; }
      case DT_INT32: { const auto s = static_cast<std::int32_t>(v); std::memcpy(d + 4 * i, &s, 4); break; }
      case DT_FLOAT32: { const auto s = static_cast<float>(v); std::memcpy(d + 4 * i, &s, 4); break; }
      case DT_FLOAT64: std::memcpy(d + 8 * i, &v, 8); break;
      default: throw std::runtime_error("write_nifti: datatype not handled by the fixture");
    }
  }
  nim->scl_slope = slope;
  nim->scl_inter = inter;
  if (nifti_set_filenames(nim, path.c_str(), 0, 1) != 0) {
    nifti_image_free(nim);
    throw std::runtime_error("write_nifti: bad file name " + path.string());
  }
  if (nifti2) {
    // nifti_image_write (3.0.1) leaves the header out of single-file NIfTI-2 output, so the library only
    // builds the header here; header, empty extension flag and voxels are then written in file order.
    nifti_2_header hdr{};
    nim->nifti_type = NIFTI_FTYPE_NIFTI2_1;  // single file: magic "n+2"
    const int rc = nifti_convert_nim2n2hdr(nim, &hdr);
    hdr.vox_offset = 544;  // 540-byte header + 4-byte extension flag
    std::string bytes(reinterpret_cast<const char*>(&hdr), sizeof hdr);
    bytes.append(4, '\0');
    bytes.append(static_cast<const char*>(nim->data), static_cast<std::size_t>(nim->nvox * nim->nbyper));
    nifti_image_free(nim);
    if (rc != 0 || sizeof hdr != 540) throw std::runtime_error("write_nifti: cannot build a NIfTI-2 header");
    gzFile out = gzopen(path.c_str(), path.extension() == ".gz" ? "wb" : "wbT");  // "T": plain, uncompressed
    if (!out || gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())) != static_cast<int>(bytes.size()))
      throw std::runtime_error("write_nifti: cannot write " + path.string());
    gzclose(out);
    return;
  }
  nifti_image_write(nim);
  nifti_image_free(nim);
  if (!std::filesystem::exists(path)) throw std::runtime_error("write_nifti: nothing written at " + path.string());
}

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("write_bytes failed: " + path.string());
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace osgan::test
