// rustyface's bridge to dlib: the same calls, in the same order, that dlib's Python bindings
// make for face_recognition (tools/python/src/{simple_object_detector_py.h,
// cnn_face_detector.cpp, face_recognition.cpp} in dlib), behind a small C ABI that never lets
// a C++ exception cross into Rust. One `rf_engine` is used by one thread at a time (dlib's
// networks keep per-call buffers); rustyface gives each worker thread its own.

#include <dlib/dnn.h>
#include <dlib/image_loader/jpeg_loader.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <dlib/rand.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

using namespace dlib;

namespace {

// The ResNet that computes 128-d face descriptors (dlib's dnn_face_recognition_ex.cpp).
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual = add_prev1<block<N, BN, 1, tag1<SUBNET>>>;
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<block<N, BN, 2, tag1<SUBNET>>>>>>;
template <int N, template <typename> class BN, int stride, typename SUBNET>
using block = BN<con<N, 3, 3, 1, 1, relu<BN<con<N, 3, 3, stride, stride, SUBNET>>>>>;
template <int N, typename SUBNET> using ares = relu<residual<block, N, affine, SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<block, N, affine, SUBNET>>;
template <typename SUBNET> using alevel0 = ares_down<256, SUBNET>;
template <typename SUBNET> using alevel1 = ares<256, ares<256, ares_down<256, SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128, ares<128, ares_down<128, SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32, ares<32, ares<32, SUBNET>>>;
using encoder_net = loss_metric<fc_no_bias<128, avg_pool_everything<alevel0<alevel1<alevel2<alevel3<alevel4<
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>>>>>>>>>;

// The MMOD CNN face detector (dlib's dnn_mmod_face_detection_ex.cpp).
template <long num_filters, typename SUBNET> using con5d = con<num_filters, 5, 5, 2, 2, SUBNET>;
template <long num_filters, typename SUBNET> using con5 = con<num_filters, 5, 5, 1, 1, SUBNET>;
template <typename SUBNET>
using downsampler = relu<affine<con5d<32, relu<affine<con5d<32, relu<affine<con5d<16, SUBNET>>>>>>>>>;
template <typename SUBNET> using rcon5 = relu<affine<con5<45, SUBNET>>>;
using mmod_net = loss_mmod<con<1, 9, 9, 1, 1, rcon5<rcon5<rcon5<downsampler<input_rgb_image_pyramid<pyramid_down<6>>>>>>>>;

void set_error(char* err, size_t len, const char* what) {
    if (err == nullptr || len == 0) return;
    std::strncpy(err, what, len - 1);
    err[len - 1] = '\0';
}

}  // namespace

// The caller's packed RGB buffer as a read-only dlib image, without a copy (dlib's generic
// image interface, found by argument-dependent lookup in this namespace).
namespace rf {
struct rgb_view {
    const rgb_pixel* data;
    long w, h;
};
inline long num_rows(const rgb_view& v) { return v.h; }
inline long num_columns(const rgb_view& v) { return v.w; }
inline const void* image_data(const rgb_view& v) { return v.data; }
inline long width_step(const rgb_view& v) { return v.w * 3; }
}  // namespace rf

namespace dlib {
template <> struct image_traits<rf::rgb_view> { typedef rgb_pixel pixel_type; };
}  // namespace dlib

using rf::rgb_view;

extern "C" {

struct rf_engine {
    frontal_face_detector hog = get_frontal_face_detector();
    shape_predictor landmarks;
    encoder_net encoder;
    mmod_net cnn;
    bool has_cnn = false;
    dlib::rand rnd;  // for jitters, as dlib's Python binding keeps one per encoder
};

struct rf_rect {
    int64_t left, top, right, bottom;
    double confidence;
};

// Loads the models; `cnn_path` may be null (then rf_detect with cnn fails). Null on error.
rf_engine* rf_load(const char* landmarks_path, const char* encoder_path, const char* cnn_path, char* err,
                   size_t err_len) {
    try {
        auto* e = new rf_engine();
        try {
            deserialize(landmarks_path) >> e->landmarks;
            deserialize(encoder_path) >> e->encoder;
            if (cnn_path != nullptr) {
                deserialize(cnn_path) >> e->cnn;
                e->has_cnn = true;
            }
        } catch (...) {
            delete e;
            throw;
        }
        return e;
    } catch (const std::exception& ex) {
        set_error(err, err_len, ex.what());
    } catch (...) {
        set_error(err, err_len, "unknown error while loading dlib models");
    }
    return nullptr;
}

void rf_free(rf_engine* e) { delete e; }

// Detects faces in a packed RGB image, upsampling it `upsample` times first, as
// face_recognition's `face_locations` does. Writes up to `max` rectangles (in the original
// image's coordinates, untrimmed) and returns how many faces were found, or -1 on error.
int64_t rf_detect(rf_engine* e, const uint8_t* rgb, int64_t w, int64_t h, int32_t upsample, int32_t use_cnn,
                  rf_rect* out, int64_t max, char* err, size_t err_len) {
    try {
        rgb_view view{reinterpret_cast<const rgb_pixel*>(rgb), w, h};
        pyramid_down<2> pyr;
        std::vector<rf_rect> found;
        if (use_cnn) {
            if (!e->has_cnn) throw std::runtime_error("the CNN detector model is not loaded");
            matrix<rgb_pixel> image;
            assign_image(image, view);
            for (int i = 0; i < upsample; ++i) pyramid_up(image, pyr);
            for (auto&& d : e->cnn(image)) {
                rectangle r = pyr.rect_down(d.rect, upsample);
                found.push_back({r.left(), r.top(), r.right(), r.bottom(), d.detection_confidence});
            }
        } else {
            std::vector<rect_detection> dets;
            if (upsample == 0) {
                e->hog(view, dets, 0.0);
            } else {
                array2d<rgb_pixel> temp;
                pyramid_up(view, temp, pyr);
                for (int i = 1; i < upsample; ++i) pyramid_up(temp);
                e->hog(temp, dets, 0.0);
                for (auto& d : dets) d.rect = pyr.rect_down(d.rect, upsample);
            }
            for (auto& d : dets)
                found.push_back({d.rect.left(), d.rect.top(), d.rect.right(), d.rect.bottom(), d.detection_confidence});
        }
        for (size_t i = 0; i < found.size() && static_cast<int64_t>(i) < max; ++i) out[i] = found[i];
        return static_cast<int64_t>(found.size());
    } catch (const std::exception& ex) {
        set_error(err, err_len, ex.what());
    } catch (...) {
        set_error(err, err_len, "unknown error in face detection");
    }
    return -1;
}

// The 5 landmarks of each of `n` faces and their 128-d encodings: `points` gets 10 values per
// face (x, y of each landmark), `encodings` 128 per face. With jitters > 1 each encoding is the
// mean over that many randomly jittered crops (face_recognition's `num_jitters`). 0 or -1.
int32_t rf_encode(rf_engine* e, const uint8_t* rgb, int64_t w, int64_t h, const rf_rect* faces, int64_t n,
                  int32_t jitters, int64_t* points, float* encodings, char* err, size_t err_len) {
    try {
        rgb_view view{reinterpret_cast<const rgb_pixel*>(rgb), w, h};
        std::vector<chip_details> chips_at;
        for (int64_t i = 0; i < n; ++i) {
            rectangle r(faces[i].left, faces[i].top, faces[i].right, faces[i].bottom);
            full_object_detection shape = e->landmarks(view, r);
            for (unsigned long p = 0; p < 5; ++p) {
                points[i * 10 + p * 2] = shape.part(p).x();
                points[i * 10 + p * 2 + 1] = shape.part(p).y();
            }
            chips_at.push_back(get_face_chip_details(shape, 150, 0.25));
        }
        dlib::array<matrix<rgb_pixel>> chips;
        extract_image_chips(view, chips_at, chips);
        std::vector<matrix<float, 0, 1>> out;
        if (jitters <= 1) {
            out = e->encoder(chips, 16);
        } else {
            for (auto& chip : chips) {
                std::vector<matrix<rgb_pixel>> crops;
                for (int j = 0; j < jitters; ++j) crops.push_back(jitter_image(chip, e->rnd));
                out.push_back(mean(mat(e->encoder(crops, 16))));
            }
        }
        for (int64_t i = 0; i < n; ++i)
            for (long k = 0; k < 128; ++k) encodings[i * 128 + k] = out[i](k);
        return 0;
    } catch (const std::exception& ex) {
        set_error(err, err_len, ex.what());
    } catch (...) {
        set_error(err, err_len, "unknown error in face encoding");
    }
    return -1;
}

// Decodes a JPEG with libjpeg(-turbo), the decoder PIL uses, so that rustyface sees the pixels
// face_recognition sees (another decoder's rounding moves encodings by up to 0.03). Writes w*h
// RGB pixels; fails (-1) when the image is not w x h, or is CMYK, which the caller decodes itself.
int32_t rf_decode_jpeg(const uint8_t* data, size_t len, int64_t w, int64_t h, uint8_t* out, char* err,
                       size_t err_len) {
    try {
        jpeg_loader loader(data, len);
        if (!loader.is_gray() && !loader.is_rgb()) throw std::runtime_error("not a grayscale or RGB JPEG");
        matrix<rgb_pixel> img;
        loader.get_image(img);
        if (img.nc() != w || img.nr() != h) throw std::runtime_error("the JPEG's size differs from its header's");
        std::memcpy(out, &img(0, 0), static_cast<size_t>(w * h * 3));
        return 0;
    } catch (const std::exception& ex) {
        set_error(err, err_len, ex.what());
    } catch (...) {
        set_error(err, err_len, "unknown error while decoding a JPEG");
    }
    return -1;
}

}  // extern "C"
