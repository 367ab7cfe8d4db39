"""Defect thresholds as plain constants, each with how it was chosen; KYCTRIAGE_THRESHOLD_<NAME> overrides one.

All image metrics are measured at the analysis size (long side <= AnalysisLimits.analysis_long_side, 1600 px),
except the resolution minimums, which apply to the ORIGINAL pixel size. Values were set on the synthetic set from
demo/images.py (`python tests/analysis/measure.py` prints the margins), then rounded towards the middle
of the gap between clean and defective images so real photos have room on both sides.
"""

# Sharpness = variance of the Laplacian of the grey image resized to SHARPNESS_SIDE (one threshold for every
# photo size), after a 3x3 Gaussian (removes sensor/JPEG noise), times a contrast gain (<= 4x) so under-exposure
# does not read as blur. Synthetic clean documents measure 118-340 and clean selfies 50-130; blurred ones
# (Gaussian sigma = long side / 330, also when then downscaled to 533 px) 7-10. The threshold sits at the
# geometric middle of the gap. Known miss: blur AND heavy under-exposure (amplified noise measures ~36).
# pyimagesearch's classic 100 (full size, no pre-blur, no gain) would flag soft but readable phone selfies.
# issue 10: the image is only ever reduced to SHARPNESS_SIDE, never enlarged (enlarging a small sharp photo
# blurred it). On the imgset tune part clean documents and faced selfies measure >= 62, motion-blurred scans that
# keep some crisp edges 36-43 (their edge width stays under BLURRY_EDGE_WIDTH); real specimens 150-1040.
SHARPNESS_SIDE = 800
BLURRY_SHARPNESS = 50.0

# Glare = share of the image covered by blown-out, unsaturated blobs (V >= 250, S <= 40 in HSV, after opening),
# counting only blobs >= GLARE_MIN_BLOB of the image. Clean photos: 0.000-0.002; synthetic glare: 0.02-0.06.
GLARE_V_MIN = 250
GLARE_S_MAX = 40
GLARE_MIN_BLOB = 0.002
# issue 10: the ratio is the LARGEST highlight's share (a white collar breaks into several small patches whose
# sum passed for glare). On the imgset tune part documents with glare measure 0.023-0.24; clean documents
# (laminate sheen) and selfies (white clothes, lamps) at most 0.0088; the limit sits at the geometric middle.
GLARE_RATIO = 0.014

# Exposure: mean luminance (0-255) and the 95th percentile. Clean photos: mean 110-190; dark ones: 15-35.
# Both must be low so a dark-but-well-lit subject on a black background is not flagged.
TOO_DARK_MEAN = 60.0
TOO_DARK_P95 = 110.0

# Resolution minimums from the contract (§2): shortest side of the ORIGINAL image.
MIN_SHORT_SIDE_DOCUMENT = 600
MIN_SHORT_SIDE_SELFIE = 480

# A document outline whose box comes within this share of the frame's size of an edge counts as touching it.
CROPPED_EDGE_MARGIN = 0.006
# Document-outline candidate: share of the frame it must cover, and how rectangular (area / min-area-rect).
DOC_MIN_AREA = 0.12
DOC_MIN_FILL = 0.88
# Card/passport aspect ratios: ID-1 card 1.586, passport data page (TD3) 1.42; photographs add perspective.
DOC_ASPECT_MIN = 1.25
DOC_ASPECT_MAX = 1.80

# Faces: Haar cascade on a grey image whose long side is FACE_DETECT_SIDE px; faces smaller than
# FACE_MIN_SIZE of that long side are ignored. A selfie's face must cover FACE_DOMINANT_AREA of the frame.
FACE_DETECT_SIDE = 640
FACE_MIN_SIZE = 0.05
FACE_MIN_NEIGHBORS = 6
FACE_DOMINANT_AREA = 0.03

# Screenshot detector: share of sampled pixels exactly equal to their right neighbour (~500 px sampling grid,
# no averaging, so sensor noise survives). Synthetic screens 0.94-0.98 as PNG and as JPEG q75-85; camera photos
# 0.12-0.45 (the highest: a downscaled low-resolution selfie).
SCREEN_FLAT_RATIO = 0.75
# Phone-like aspect ratio (long/short) adds evidence for screenshots.
PHONE_ASPECT_MIN = 1.7  # with a phone aspect ratio, 0.8 x SCREEN_FLAT_RATIO suffices
# Text density: share of the analysis image covered by text-like strokes (morphological estimate).
SELFIE_MAX_TEXT_DENSITY = 0.06

# OCR: dark themes are detected by mean luminance below this and inverted.
DARK_THEME_LUMA = 100.0
# OCR: images whose short side is below this are upscaled 2x (Tesseract likes cap heights of ~20-40 px).
OCR_UPSCALE_BELOW = 1000
# OCR lines below this confidence (0-100) are kept but not used as evidence.
OCR_MIN_LINE_CONFIDENCE = 40.0
# OCR second pass (chi_tra+eng on crops of unread rows, see ocr.unread_regions). A line at least
# OCR_UNREAD_MIN_CHARS text heights wide below OCR_SECOND_PASS_CONFIDENCE, or unboxed text-shaped ink that wide,
# triggers it. Simplified/English error lines read 86.6-96.8 (measure.py); Traditional read by chi_sim 6-76,
# or not at all. Junk from icons and mis-split characters is at most ~2 text heights wide.
OCR_SECOND_PASS_CONFIDENCE = 80.0
OCR_UNREAD_MIN_CHARS = 3.0


# ----- issue 10: defects in the customer's terms (measured on the synthetic tune images, see
# scripts/fit_kind_model.py --measure; real documents were looked at, never tuned on)
# Glare: a blob larger than this share of the frame is a white area (a page, a background), not a highlight.
# A highlight's rim is soft: mean Sobel gradient of V along the blob's rim. Synthetic glare measured 26-68, the
# glare of 7 imgset tune documents 44-113; crisp white print edges measure more (the rule was designed after
# looking at false glare on two real specimens, real-02 and real-04; the values were set on tune images).
GLARE_MAX_BLOB = 0.30
GLARE_RIM_GRADIENT_MAX = 120.0
# ... and blown out in every channel: median of min(R, G, B) over the blob. Tune glare 253-254; the large white
# non-glare blobs of tune selfies and documents 224-242.
GLARE_CLIPPED_MIN = 248
# With Tesseract as the photo engine, OCR is skipped on a photo whose largest face covers this share of the frame
# and that shows little text (a selfie): a close-up of a passport's portrait (4% on the real specimen photographed
# in a phone's camera app) is still read. PP-OCR reads every photo (pipeline._analyse_image says why).
OCR_SKIP_FACE_AREA = 0.08
# Cropped: a bright region touching three frame edges is a cut document only below this share of the frame;
# any document region at or above CROPPED_MAX_AREA is a tight scan.
CROPPED_MAX_AREA_THREE_EDGES = 0.70
CROPPED_MAX_AREA = 0.92
# A document cut by the frame is no clean rectangle any more (the frame's edge and the perspective take corners
# off): its region only needs this much of its bounding rectangle. On 20 imgset tune documents 0.6 found 4 of
# 7 cut ones with 1 false alarm (a hand at the edge), where the outline's 0.88 found 2 with none.
CROPPED_MIN_FILL = 0.60
# ... and, being partly outside, it may show less of itself than a whole document (DOC_MIN_AREA): on the tune part
# two cut documents showed 0.107 and 0.115 of the frame; no clean one touching an edge measured under 0.2.
CROPPED_MIN_AREA = 0.10
# Cropped, on a plain background (checks.card_cut): the card is the largest cluster of Canny edges (on L, a and b
# at CARD_EDGES_SIDE px, thresholds low enough for a cream card on a pale table, high enough that a soft cast
# shadow leaves no edge). It is cut when it reaches the frame, covers CARD_CUT_MIN_AREA-CARD_CUT_MAX_AREA of it,
# and the rest is plain: edge share of the free frame edges' 4 % strips and of the frame beside the cluster.
# 317 tune documents: cut ones 0.034-0.457 of the frame, free strips 0-0.0032 (one 0.0059, found by `outline`),
# edges beside the cluster <= 0.023; clean ones reaching one or two adjacent edges cover 0.52-0.74 of the frame
# or show strips >= 0.0048, and tight scans 0.03-0.07 edges beside the cluster (the page's other print).
CARD_EDGES_SIDE = 600
CARD_CANNY_LOW = 20
CARD_CANNY_HIGH = 60
CARD_CUT_MIN_AREA = 0.03
CARD_CUT_MAX_AREA = 0.50
CARD_CUT_FREE_EDGES_MAX = 0.004
CARD_CUT_BACKGROUND_EDGES_MAX = 0.025
# A hand holding the card is bright too and runs off the frame: skin is left out of the region before the cut is
# judged. Skin box in YCrCb (Chai & Ngan 1999: Cr 133-173, Cb 77-127) and saturation >= 0.2 (pale tinted cards
# measure <= 0.1).
SKIN_CR_MIN = 133
SKIN_CR_MAX = 173
SKIN_CB_MIN = 77
SKIN_CB_MAX = 127
SKIN_S_MIN = 51
# Blur: median width (px, analysis size) of the strongest edges. Synthetic sharp documents 2.2-2.6, clean selfies
# 3.4; blurred ones 6.1-7.5 (a sigma of 2.8 px on a 1440-px photo: 6.5). 40 imgset tune documents and selfies:
# clean 2.2-3.1, blurred 4.6-9.1; the limit sits between the highest clean and the lowest blurred. Real
# specimens (looked at, not tuned on): 2.0-2.9.
BLURRY_EDGE_WIDTH = 4.0


def _apply_overrides() -> None:
    """KYCTRIAGE_THRESHOLD_<NAME> in the environment replaces a constant above (read when a worker starts).

    Thresholds were set on generated images; operators retune them on their real uploads without a release.
    A value that does not parse stops the worker at start with the variable's name, not at 3 a.m.
    """
    import os

    for name, default in list(globals().items()):
        if not name.isupper() or isinstance(default, bool) or not isinstance(default, (int, float)):
            continue
        raw = os.environ.get("KYCTRIAGE_THRESHOLD_" + name)
        if raw is None or raw.strip() == "":
            continue
        try:
            globals()[name] = type(default)(raw)
        except ValueError:
            raise ValueError("KYCTRIAGE_THRESHOLD_%s=%r is not a %s" % (name, raw, type(default).__name__)) from None


_apply_overrides()
# Card re-read (pipeline._read_card): a photo whose first OCR read fewer than this many characters while a card or
# page shape was seen is read again on a contrast-normalised copy of the card region, enlarged so its long side
# is CARD_READ_SIDE px (a dark, soft or small card whose print PP-OCR's detector missed at the frame's scale).
CARD_READ_MIN_CHARS = 40
CARD_READ_SIDE = 1400
CARD_READ_MAX_ZOOM = 2.5
# No second read when the largest face covers this share of the frame: a selfie's "card" is the person (on tune the
# re-read fired on 82 of 196 selfies and found nothing a selfie needs); a card's printed portrait is far smaller.
CARD_READ_MAX_FACE_AREA = 0.05
# An `other` attachment gets photo defects only when the kind model gives it at least this chance of being a
# document or a selfie after all (p(id_document) + p(selfie)); see pipeline.photo_defects. Tune part: 33 of the
# 80 `other` photos got a defect (30 blurry); at 0.5, 2. The documents and selfies read as `other` there
# measured 0.05 (doc-0209, blurry: lost at any useful level) and 0.17-0.48 (faceless selfies, no photo defect
# labelled; one was given a false blurry at 0.22, now dropped).
OTHER_DEFECTS_MIN_KYC_CHANCE = 0.5
