"""The baseline of `bkg-bench faces`: face_recognition 1.3.0 encoding every face of each image
(HOG detection, 5-point landmarks, ResNet encoding: `face_recognition.face_encodings(img)` on
`load_image_file`), over `threads` worker processes (face_recognition's own CLI uses a
multiprocessing pool for --cpus), timed after the workers have loaded the models.

Usage: python face_recognition_bench.py THREADS IMAGE... -> prints {"seconds", "images", "faces"}
"""

import json
import multiprocessing
import sys
import time


def init():
    global face_recognition
    import face_recognition


def encode(path):
    img = face_recognition.load_image_file(path)
    return len(face_recognition.face_encodings(img))


def main():
    threads, paths = int(sys.argv[1]), sys.argv[2:]
    with multiprocessing.Pool(threads, initializer=init) as pool:
        # Warm up: every worker has its models loaded before the clock starts.
        pool.map(encode, paths[:threads], chunksize=1)
        started = time.perf_counter()
        faces = sum(pool.map(encode, paths, chunksize=1))
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "images": len(paths), "faces": faces}))


if __name__ == "__main__":
    main()
