"""Writes plugins/rustyface/tests/reference/faces.json: what face_recognition 1.3.0 finds in
each of its own test images, for rustyface's parity test.

For each image and detector ("hog", and "cnn" with the MMOD model), upsampling once (the
default): the boxes of `face_locations` (top, right, bottom, left, trimmed to the image), the
5-point landmarks, and the 128-d encodings of `face_encodings(img, model="small")` with
num_jitters=1 (the defaults), which encode from the detector's untrimmed rectangles. Images are
loaded with `face_recognition.load_image_file` (PIL, converted to RGB).

Usage: python face_reference.py TEST_IMAGES_DIR OUT_JSON
"""

import json
import os
import platform
import sys
from importlib.metadata import version

import dlib
import face_recognition
import face_recognition.api as api
import numpy as np


def faces(img, detector):
    if detector == "cnn":
        rects = [d.rect for d in api.cnn_face_detector(img, 1)]
    else:
        rects = list(api.face_detector(img, 1))
    out = []
    for rect in rects:
        shape = api.pose_predictor_5_point(img, rect)
        encoding = np.array(api.face_encoder.compute_face_descriptor(img, shape, 1))
        top, right, bottom, left = api._trim_css_to_bounds(api._rect_to_css(rect), img.shape)
        out.append({
            "box": {"top": top, "right": right, "bottom": bottom, "left": left},
            "landmarks": [[p.x, p.y] for p in shape.parts()],
            "encoding": [float(x) for x in encoding],
        })
    return out


def main():
    src, dest = sys.argv[1], sys.argv[2]
    images = {}
    for name in sorted(os.listdir(src)):
        img = face_recognition.load_image_file(os.path.join(src, name))
        hog = faces(img, "hog")
        # Cross-check against the public API, so the reference is what its users get.
        assert [tuple(f["box"].values()) for f in hog] == face_recognition.face_locations(img)
        public = face_recognition.face_encodings(img)
        assert all(np.allclose(a, f["encoding"]) for a, f in zip(public, hog))
        images[name] = {
            "width": int(img.shape[1]),
            "height": int(img.shape[0]),
            "hog": hog,
            "cnn": faces(img, "cnn"),
        }
        print(f"{name}: {len(hog)} face(s) with hog, {len(images[name]['cnn'])} with cnn", file=sys.stderr)
    doc = {
        "generator": "scripts/reference/face/regenerate",
        "versions": {
            "python": platform.python_version(),
            "face_recognition": version("face_recognition"),
            "face_recognition_models": version("face_recognition_models"),
            "dlib": dlib.__version__,
            "dlib_distribution": "dlib-bin",
            "numpy": np.__version__,
            "pillow": version("pillow"),
        },
        "upsample": 1,
        "jitters": 1,
        "images": images,
    }
    with open(dest, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
