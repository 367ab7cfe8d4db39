"""Pure attachment analysis (OCR, photo quality, kind, MRZ): bytes in, findings out, no Django ORM.

Heavy libraries (cv2, numpy, tesserocr, pypdfium2) are imported inside the functions that use them, so importing
this package is cheap.
"""

from .pipeline import analyse
from .result import ANALYSER_VERSION, AnalysisLimits, AnalysisResult, OcrLine

__all__ = ["ANALYSER_VERSION", "AnalysisLimits", "AnalysisResult", "OcrLine", "analyse"]
