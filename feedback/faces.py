"""Find faces in a photo offline, with the Haar cascades that ship inside OpenCV's 4.x wheel."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

Rect = tuple[float, float, float, float]  # x, y, w, h as fractions of the image

# Detect on a copy whose long edge is at most this: on a 2048 px copy the frontal cascade finds
# several "faces" in the background of a portrait it reads correctly at 512-1024 px (see
# shared/notes/photo-privacy.md), and the cost grows with the pixels.
DETECT_EDGE = 1024
# The smallest face looked for, in pixels of the detection copy: about 2% of the photo's long
# edge (a face across a ward room in a 12 MP photo). Smaller faces are the observer's to box.
MIN_FACE = 20
# Padding around a detected box, as fractions of its width (left, right) and height (top,
# bottom): the cascade's box spans brows to mouth, and hair, ears, chin and jaw identify too.
PAD_LEFT, PAD_TOP, PAD_RIGHT, PAD_BOTTOM = 0.3, 0.5, 0.3, 0.45
# (cascade file, minNeighbors, scale step): frontal faces, and profiles (the profile cascade finds
# faces turned to one side; the mirrored image gives the other side). minNeighbors 6 keeps faces
# of ~36 px in the detection copy; 8 drops them. The profile cascade costs ~4x the frontal one per
# step here, so it looks at fewer scales (1.2 apart instead of 1.1).
_CASCADES = (
    ("haarcascade_frontalface_default.xml", 6, 1.1),
    ("haarcascade_profileface.xml", 6, 1.2),
)
# The cascades inside the wheel (cv2.data.haarcascades, which the type stubs do not declare).
_CASCADE_DIR = Path(cv2.__file__).parent / "data"
_local = threading.local()  # a CascadeClassifier is not safe to share between threads


def find(gray: Image.Image) -> list[Rect]:
    """Padded, merged face boxes in fractions of `gray` (an 8-bit image the right way up)."""
    small = _detection_copy(gray)
    pixels = cv2.equalizeHist(np.asarray(small, dtype=np.uint8))
    width = pixels.shape[1]
    found: list[tuple[int, int, int, int]] = []
    for classifier, (name, neighbours, step) in zip(_classifiers(), _CASCADES, strict=True):
        found += _detect(classifier, pixels, neighbours, step)
        if "profile" in name:  # also the mirrored image, mapped back
            mirrored = _detect(classifier, cv2.flip(pixels, 1), neighbours, step)
            found += [(width - x - w, y, w, h) for x, y, w, h in mirrored]
    boxes = [_padded(box, small.size) for box in found]
    return _merged(boxes)


def _detection_copy(gray: Image.Image) -> Image.Image:
    factor = math.ceil(max(gray.size) / DETECT_EDGE)
    # An integer box reduction: fast, and ample for a detector that works on 24 px windows.
    return gray.reduce(factor) if factor > 1 else gray


def _classifiers() -> list[Any]:
    loaded: list[Any] | None = getattr(_local, "classifiers", None)
    if loaded is None:
        loaded = []
        for name, _neighbours, _step in _CASCADES:
            classifier = cv2.CascadeClassifier(str(_CASCADE_DIR / name))
            if classifier.empty():
                raise RuntimeError(
                    f"OpenCV's {name} is missing: install opencv-python-headless 4.x "
                    "(5.x no longer ships the Haar cascades)."
                )
            loaded.append(classifier)
        _local.classifiers = loaded
    return loaded


def _detect(
    classifier: Any, pixels: Any, neighbours: int, step: float
) -> list[tuple[int, int, int, int]]:
    boxes = classifier.detectMultiScale(
        pixels, scaleFactor=step, minNeighbors=neighbours, minSize=(MIN_FACE, MIN_FACE)
    )
    return [(int(x), int(y), int(w), int(h)) for x, y, w, h in boxes]


def _padded(box: tuple[int, int, int, int], size: tuple[int, int]) -> Rect:
    x, y, w, h = box
    width, height = size
    left = max(0.0, x - PAD_LEFT * w) / width
    top = max(0.0, y - PAD_TOP * h) / height
    right = min(float(width), x + w + PAD_RIGHT * w) / width
    bottom = min(float(height), y + h + PAD_BOTTOM * h) / height
    return (left, top, right - left, bottom - top)


def _merged(boxes: Sequence[Rect]) -> list[Rect]:
    """Boxes that overlap become their union (repeatedly), so one face is one box."""
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                if _overlap(merged[i], merged[j]):
                    merged[i] = _union(merged[i], merged.pop(j))
                    changed = True
                    break
            if changed:
                break
    return sorted(merged)


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _union(a: Rect, b: Rect) -> Rect:
    left, top = min(a[0], b[0]), min(a[1], b[1])
    right, bottom = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (left, top, right - left, bottom - top)
